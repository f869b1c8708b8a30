import { crc32, deflateRawSync } from 'node:zlib';

/**
 * Small hostile workbooks built in the test itself: a ZIP written by hand (node:zlib), so an entry
 * can inflate to far more than the file weighs, as the XLSX bombs of issue 10 did.
 */
export type ZipPart = { name: string; data: Buffer | string };

export function zip(parts: ZipPart[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const part of parts) {
    const data = Buffer.isBuffer(part.data) ? part.data : Buffer.from(part.data);
    const compressed = deflateRawSync(data, { level: 9 });
    const name = Buffer.from(part.name);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, compressed);
    centrals.push(central, name);
    offset += local.length + name.length + compressed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const main = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const rel = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

/** A one-sheet workbook around `sheetData` (the XML inside <sheetData>) and optional shared strings. */
export function workbook(sheetRows: Buffer | string, sharedStrings?: { count: number; xml: Buffer | string }): Buffer {
  const parts: ZipPart[] = [
    {
      name: '[Content_Types].xml',
      data:
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>' +
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' +
        (sharedStrings ? '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>' : '') +
        '</Types>',
    },
    {
      name: '_rels/.rels',
      data: `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    },
    {
      name: 'xl/workbook.xml',
      data: `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="${main}" xmlns:r="${rel}"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    },
    {
      name: 'xl/_rels/workbook.xml.rels',
      data:
        `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${rel}/worksheet" Target="worksheets/sheet1.xml"/>` +
        (sharedStrings ? `<Relationship Id="rId2" Type="${rel}/sharedStrings" Target="sharedStrings.xml"/>` : '') +
        '</Relationships>',
    },
  ];
  if (sharedStrings) {
    parts.push({
      name: 'xl/sharedStrings.xml',
      data: Buffer.concat([
        Buffer.from(`<?xml version="1.0" encoding="UTF-8"?><sst xmlns="${main}" count="${sharedStrings.count}" uniqueCount="${sharedStrings.count}">`),
        Buffer.isBuffer(sharedStrings.xml) ? sharedStrings.xml : Buffer.from(sharedStrings.xml),
        Buffer.from('</sst>'),
      ]),
    });
  }
  parts.push({
    name: 'xl/worksheets/sheet1.xml',
    data: Buffer.concat([
      Buffer.from(`<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="${main}"><sheetData>`),
      Buffer.isBuffer(sheetRows) ? sheetRows : Buffer.from(sheetRows),
      Buffer.from('</sheetData></worksheet>'),
    ]),
  });
  return zip(parts);
}

/**
 * `count` distinct shared strings, and a sheet whose four cells point at two of them. Distinct
 * strings compress about 10:1, under the ratio cap: only the count of strings can stop them.
 */
export function sharedStringsBomb(count: number): Buffer {
  const items: string[] = [];
  for (let i = 0; i < count; i++) items.push(`<si><t>${i.toString(36)}</t></si>`);
  const xml = Buffer.from(items.join(''));
  return workbook('<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row><row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2" t="s"><v>1</v></c></row>', { count, xml });
}

/** Cells A1 and XFD1, then `rows` rows of one cell: a sheet 16,384 columns wide. */
export function wideWorkbook(rows: number): Buffer {
  const parts = ['<row r="1"><c r="A1" t="inlineStr"><is><t>Mã</t></is></c><c r="XFD1"><v>16384</v></c></row>'];
  for (let r = 2; r <= rows + 1; r++) parts.push(`<row r="${r}"><c r="A${r}"><v>${r}</v></c></row>`);
  return workbook(parts.join(''));
}

/** One sheet entry of `megabytes` of blanks: a ratio no real sheet reaches. */
export function ratioBomb(megabytes: number): Buffer {
  return workbook(Buffer.alloc(megabytes * 1024 * 1024, ' '));
}
