import type { AgencyKind } from '../agencies/agencies.table.ts';
import type { CatalogueEntry } from '../catalogue/catalogue-csv.ts';
import type { UpdateFrequency } from '../datasets/datasets.table.ts';
import { generateDemoTable } from './demo-tables.ts';
import { rngFor } from './rng.ts';
import { slugify } from '../../lib/slug.ts';
import { districtFullName, districts } from './vietnam.ts';

/**
 * What the demo needs beyond the Bình Định catalogue CSV: topic and agency metadata, and a filled-in
 * description, frequency, date and tags for each entry (the source plan leaves those columns empty).
 */

export type DemoTopic = {
  slug: string;
  nameVi: string;
  nameEn: string;
  descriptionVi: string;
  descriptionEn: string;
  displayOrder: number;
};

const topic = (nameVi: string, nameEn: string, descriptionVi: string, descriptionEn: string, index: number): DemoTopic => ({
  slug: slugify(nameVi),
  nameVi,
  nameEn,
  descriptionVi,
  descriptionEn,
  displayOrder: index + 1,
});

/** The 14 topic groups (Nhóm chủ đề) in the order of the Bình Định plan's Appendix I. */
export const demoTopics: readonly DemoTopic[] = (
  [
    ['Giáo dục', 'Education', 'Trường học, giáo viên, học sinh và các cơ sở giáo dục trên địa bàn tỉnh.', 'Schools, teachers, pupils and other educational institutions in the province.'],
    ['Công nghệ thông tin và Truyền thông', 'Information and Communications', 'Viễn thông, bưu chính, báo chí, xuất bản và hạ tầng số của tỉnh.', 'Telecommunications, postal services, press, publishing and digital infrastructure.'],
    ['Giao thông vận tải', 'Transport', 'Mạng lưới giao thông, tuyến vận tải hành khách, bến bãi và phương tiện.', 'Transport networks, passenger routes, terminals and vehicles.'],
    ['Khoa học', 'Science', 'Nhiệm vụ khoa học và công nghệ, tiêu chuẩn, đo lường và chất lượng.', 'Science and technology projects, standards, metrology and quality.'],
    ['Kinh tế', 'Economy', 'Doanh nghiệp, hợp tác xã, thương mại, công nghiệp và xuất nhập khẩu.', 'Enterprises, cooperatives, trade, industry, imports and exports.'],
    ['Lao động', 'Labour', 'Việc làm, lực lượng lao động, thất nghiệp và dịch vụ việc làm.', 'Employment, the labour force, unemployment and job services.'],
    ['Tài nguyên và Môi trường', 'Natural Resources and Environment', 'Chất lượng môi trường, khoáng sản, tài nguyên nước và giấy phép môi trường.', 'Environmental quality, minerals, water resources and environmental permits.'],
    ['Nông nghiệp', 'Agriculture', 'Trồng trọt, chăn nuôi, thủy sản, lâm nghiệp và vật tư nông nghiệp.', 'Crops, livestock, fisheries, forestry and farm inputs.'],
    ['Tài chính', 'Finance', 'Ngân sách nhà nước, giá đất, đầu tư công, tài sản công và tín dụng.', 'The state budget, land prices, public investment, public assets and credit.'],
    ['Văn hóa, Du lịch', 'Culture and Tourism', 'Di tích, danh thắng, cơ sở lưu trú, lữ hành, lễ hội và thể thao.', 'Heritage sites, landscapes, accommodation, travel agencies, festivals and sport.'],
    ['Xã hội', 'Society', 'Dân số, an sinh xã hội, bảo hiểm, hội, quỹ và dịch vụ pháp lý.', 'Population, social welfare, insurance, associations, funds and legal services.'],
    ['Xây dựng', 'Construction', 'Giá vật liệu, đơn giá nhân công, chỉ số giá và giấy phép xây dựng.', 'Building material prices, labour rates, price indices and building permits.'],
    ['Y tế, Sức khỏe', 'Health', 'Cơ sở khám chữa bệnh, dược phẩm, an toàn thực phẩm và tiêm chủng.', 'Health facilities, medicines, food safety and vaccination.'],
    ['Ngoại vụ', 'Foreign Affairs', 'Hợp tác quốc tế, đoàn ra, đoàn vào, viện trợ phi chính phủ và người Bình Định ở nước ngoài.', 'International cooperation, delegations, NGO aid and Bình Định people abroad.'],
  ] as const
).map(([nameVi, nameEn, descriptionVi, descriptionEn], index) => topic(nameVi, nameEn, descriptionVi, descriptionEn, index));

export type DemoAgency = {
  slug: string;
  name: string;
  kind: AgencyKind;
  description: string;
  email: string;
  phone: string;
  website: string;
  address: string;
};

/** A stable, plausible switchboard number (0256 is Bình Định's area code) derived from the slug. */
function phoneFor(slug: string): string {
  const rng = rngFor(`phone:${slug}`);
  return `0256 3${rng.int(10, 99)} ${rng.int(1000, 9999)}`;
}

function agency(name: string, kind: AgencyKind, abbr: string, description: string, address: string): DemoAgency {
  const slug = slugify(name);
  return {
    slug,
    name,
    kind,
    description,
    email: `${abbr}@binhdinh.gov.vn`,
    phone: phoneFor(slug),
    website: `https://${abbr}.binhdinh.gov.vn`,
    address,
  };
}

const inQuyNhon = (street: string): string => `${street}, thành phố Quy Nhơn, tỉnh Bình Định`;
const department = (name: string, abbr: string, field: string, street: string): DemoAgency =>
  agency(name, 'department', abbr, `Cơ quan chuyên môn thuộc UBND tỉnh, tham mưu quản lý nhà nước về ${field}.`, inQuyNhon(street));

/**
 * Every agency named in the catalogue, then the district People's Committees and one socio-political
 * organisation, which have no datasets yet (so the portal's "agencies without open data" report has rows).
 */
export const demoAgencies: readonly DemoAgency[] = [
  department('Sở Giáo dục và Đào tạo', 'sgddt', 'giáo dục và đào tạo', 'số 08 Trần Phú, phường Lê Lợi'),
  department('Sở Thông tin và Truyền thông', 'stttt', 'thông tin, truyền thông và chuyển đổi số; vận hành Cổng dữ liệu mở của tỉnh', 'số 02 Hà Huy Tập, phường Trần Phú'),
  department('Sở Giao thông vận tải', 'sgtvt', 'giao thông vận tải', 'số 07 Lê Lợi, phường Lê Lợi'),
  department('Sở Khoa học và Công nghệ', 'skhcn', 'khoa học, công nghệ, tiêu chuẩn, đo lường và chất lượng', 'số 10 Trần Phú, phường Lê Lợi'),
  department('Sở Công Thương', 'sct', 'công nghiệp và thương mại', 'số 135 Hai Bà Trưng, phường Trần Phú'),
  department('Sở Kế hoạch và Đầu tư', 'skhdt', 'kế hoạch, đầu tư và đăng ký doanh nghiệp', 'số 35 Lê Lợi, phường Lê Lợi'),
  department('Sở Lao động - Thương binh và Xã hội', 'sldtbxh', 'lao động, người có công và xã hội', 'số 184 Lê Hồng Phong, phường Trần Phú'),
  department('Sở Tài nguyên và Môi trường', 'stnmt', 'đất đai, tài nguyên nước, khoáng sản và môi trường', 'số 08 Hà Huy Tập, phường Trần Phú'),
  department('Sở Nông nghiệp và Phát triển nông thôn', 'snnptnt', 'nông nghiệp, lâm nghiệp, thủy sản và phát triển nông thôn', 'số 77 Lê Hồng Phong, phường Lê Hồng Phong'),
  department('Sở Tài chính', 'stc', 'tài chính, ngân sách và giá', 'số 130 Lê Hồng Phong, phường Trần Phú'),
  department('Sở Tư pháp', 'stp', 'tư pháp, bổ trợ tư pháp và trợ giúp pháp lý', 'số 125 Lê Hồng Phong, phường Trần Phú'),
  department('Sở Du lịch', 'sdl', 'du lịch', 'số 235 Nguyễn Huệ, phường Lê Lợi'),
  department('Sở Văn hóa và Thể thao', 'svhtt', 'văn hóa, gia đình và thể dục thể thao', 'số 37 Nguyễn Huệ, phường Lê Lợi'),
  department('Sở Xây dựng', 'sxd', 'xây dựng, quy hoạch, nhà ở và hạ tầng kỹ thuật', 'số 29 Hai Bà Trưng, phường Lê Lợi'),
  department('Sở Nội vụ', 'snv', 'tổ chức bộ máy, công chức, hội và quỹ xã hội', 'số 02 Trần Phú, phường Lê Lợi'),
  department('Sở Y tế', 'syt', 'y tế, dược phẩm và an toàn thực phẩm', 'số 756 Trần Hưng Đạo, phường Đống Đa'),
  department('Sở Ngoại vụ', 'sngv', 'đối ngoại, hợp tác quốc tế và người Việt Nam ở nước ngoài', 'số 39 Lê Lợi, phường Lê Lợi'),
  // A central agency with a provincial branch: it publishes in the province but answers to Hanoi.
  agency(
    'Bảo hiểm xã hội tỉnh',
    'central_agency',
    'bhxh',
    'Cơ quan của Bảo hiểm xã hội Việt Nam đặt tại tỉnh, tổ chức thực hiện chính sách bảo hiểm xã hội, bảo hiểm y tế và bảo hiểm thất nghiệp.',
    inQuyNhon('số 01 Nguyễn Tất Thành, phường Lý Thường Kiệt'),
  ),
  ...districts.map((district) => {
    const seat = district.communes.find((commune) => commune.startsWith('thị trấn')) ?? district.communes[0];
    return agency(
      `UBND ${districtFullName(district)}`,
      'district_committee',
      slugify(district.name).replace(/-/g, ''),
      `Ủy ban nhân dân ${districtFullName(district)}, cơ quan hành chính nhà nước cấp huyện.`,
      // District committees sit in their own district seat, not in Quy Nhơn.
      `${seat}, ${districtFullName(district)}, tỉnh Bình Định`,
    );
  }),
  agency(
    'Tỉnh đoàn Bình Định',
    'socio_political',
    'tinhdoan',
    'Đoàn Thanh niên Cộng sản Hồ Chí Minh tỉnh Bình Định, tổ chức chính trị - xã hội của thanh niên.',
    inQuyNhon('số 41 Nguyễn Huệ, phường Lê Lợi'),
  ),
];

// ---------- filling a catalogue entry ----------

export type DemoEntryFill = {
  description: string;
  updateFrequency: UpdateFrequency;
  firstPublicationDate: string;
  notes: string;
  tags: string[];
};

type Category = 'price' | 'statistics' | 'licence' | 'events' | 'monitoring' | 'list';

const has = (text: string, ...words: string[]): boolean => words.some((word) => text.includes(word));
/** "giá" as a word (price), not inside "giáo" (education), "đánh giá" (assessment) or "đấu giá" (auction). */
const mentionsPrice = (title: string): boolean => /(^|\s)giá(\s|$)/u.test(title.replace(/đánh giá|đấu giá/g, ''));

function categorise(title: string): Category {
  if (has(title, 'lịch các chương trình')) return 'events';
  if (has(title, 'chất lượng môi trường')) return 'monitoring';
  if ((mentionsPrice(title) || has(title, 'lãi suất')) && !has(title, 'trông giữ')) return 'price';
  if (has(title, 'giấy phép', 'giấy chứng nhận', 'cấp mới', 'quyết định phê duyệt', 'đăng ký quyền')) return 'licence';
  if (has(title, 'số lượng', 'số người', 'số hộ', 'số đối tượng', 'số giáo viên', 'số học sinh', 'tỷ lệ', 'lượt', 'dân số', 'thuê bao', 'tốc độ', 'lực lượng', 'ngân sách', 'hoạt động trồng', 'hoạt động chăn', 'tình hình', 'đoàn', 'kết quả')) {
    return 'statistics';
  }
  return 'list';
}

/** Frequencies follow how the subject changes: prices monthly, statistics yearly, registers when they change. */
function frequencyFor(title: string, category: Category, roll: number): UpdateFrequency {
  if (category === 'events') return 'monthly';
  if (category === 'monitoring') return 'quarterly';
  if (category === 'price') {
    if (has(title, 'giá đất')) return 'yearly';
    return has(title, 'vật liệu', 'lãi suất', 'chăn nuôi') ? 'monthly' : 'quarterly';
  }
  if (category === 'licence') return roll < 0.5 ? 'monthly' : 'quarterly';
  if (category === 'statistics') {
    if (has(title, 'thuê bao', 'bảo hiểm', 'tốc độ', 'đoàn')) return 'quarterly';
    return roll < 0.15 ? 'half_yearly' : 'yearly';
  }
  return roll < 0.5 ? 'irregular' : roll < 0.85 ? 'quarterly' : 'half_yearly';
}

const frequencyPhrase: Record<UpdateFrequency, string> = {
  weekly: 'hằng tuần',
  monthly: 'hằng tháng',
  quarterly: 'hằng quý',
  half_yearly: '6 tháng một lần',
  yearly: 'hằng năm',
  irregular: 'khi có thay đổi',
};

const purposes: Record<Category, [lead: string, purpose: string, source: string]> = {
  list: ['danh sách', 'giúp người dân, doanh nghiệp dễ dàng tra cứu, tìm kiếm theo từng khu vực', 'hồ sơ quản lý và kết quả cấp phép của ngành'],
  statistics: ['số liệu về', 'phục vụ theo dõi, đánh giá tình hình phát triển và nghiên cứu, hoạch định chính sách', 'báo cáo thống kê định kỳ của các huyện, thị xã, thành phố'],
  price: ['thông tin về', 'giúp người dân, doanh nghiệp theo dõi biến động giá và chủ động trong sản xuất, kinh doanh', 'kết quả khảo sát, thẩm định giá tại các địa phương'],
  licence: ['thông tin về', 'giúp tổ chức, cá nhân tra cứu tình trạng cấp phép và giám sát việc thực hiện', 'hồ sơ thủ tục hành chính đã giải quyết'],
  monitoring: ['kết quả quan trắc', 'giúp người dân theo dõi chất lượng môi trường nơi sinh sống và phục vụ công tác quản lý môi trường', 'mạng lưới quan trắc môi trường của tỉnh'],
  events: ['thông tin về', 'giúp người dân và du khách chủ động tra cứu, tham gia các chương trình của tỉnh', 'kế hoạch tổ chức sự kiện đã được cấp phép'],
};

/** "Dữ liệu về số lượng thuê bao…" → "số lượng thuê bao…": the subject without the "Dữ liệu"/"Danh sách" lead-in. */
function subjectOf(title: string): string {
  const subject = title.replace(/^(dữ liệu (về )?|danh sách |danh mục )+/i, '').trim();
  // Keep the capital of acronyms and proper names (PCPNN, Bình Định); lower an ordinary first word.
  return /^\p{Lu}\p{Ll}/u.test(subject) ? subject[0].toLowerCase() + subject.slice(1) : subject;
}

/** Keyword → tag. Words are chosen to avoid false friends: "trường" in "môi trường", "nước" in "nước ngoài". */
const tagRules: ReadonlyArray<[words: string[], tag: string]> = [
  [['các trường', 'nhà trẻ', 'học sinh', 'giáo viên'], 'trường học'],
  [['đào tạo', 'nghề nghiệp', 'giáo dục thường xuyên'], 'đào tạo'],
  [['thư viện', 'đầu sách'], 'thư viện'],
  [['thuê bao', 'băng rộng', 'phủ sóng', 'brcd', 'brdd'], 'viễn thông'],
  [['bưu chính'], 'bưu chính'],
  [['báo chí', 'xuất bản'], 'báo chí'],
  [['xe buýt'], 'xe buýt'],
  [['xe', 'giao thông', 'lái xe'], 'giao thông'],
  [['cảng', 'bến'], 'cảng biển'],
  [['doanh nghiệp', 'công ty'], 'doanh nghiệp'],
  [['hợp tác xã'], 'hợp tác xã'],
  [['thực phẩm'], 'an toàn thực phẩm'],
  [['bán buôn thuốc', 'giá thuốc', 'danh mục thuốc', 'khám bệnh', 'tiêm chủng'], 'y tế'],
  [['môi trường'], 'môi trường'],
  [['khoáng sản'], 'khoáng sản'],
  [['tài nguyên nước', 'môi trường nước', 'thiếu nước'], 'tài nguyên nước'],
  [['giá đất', 'môi trường đất', 'dinh dưỡng đất'], 'đất đai'],
  [['rừng'], 'lâm nghiệp'],
  [['thủy sản', 'tàu cá'], 'thủy sản'],
  [['chăn nuôi', 'vật nuôi'], 'chăn nuôi'],
  [['trồng trọt', 'cây trồng', 'phân bón', 'bảo vệ thực vật'], 'trồng trọt'],
  [['du lịch', 'lưu trú', 'lữ hành'], 'du lịch'],
  [['di tích', 'di sản', 'bảo tàng', 'cổ vật'], 'di sản văn hóa'],
  [['lễ hội', 'sự kiện'], 'lễ hội'],
  [['bảo hiểm'], 'bảo hiểm xã hội'],
  [['hộ nghèo', 'trợ giúp xã hội', 'người có công'], 'an sinh xã hội'],
  [['lao động', 'việc làm', 'thất nghiệp'], 'việc làm'],
  [['ngân sách', 'tài sản công', 'đầu tư công'], 'ngân sách'],
  [['giấy phép', 'giấy chứng nhận'], 'cấp phép'],
  [['pcpnn', 'quốc tế', 'nước ngoài'], 'hợp tác quốc tế'],
  [['dân số'], 'dân số'],
  [['luật sư', 'công chứng', 'pháp lý', 'đấu giá'], 'tư pháp'],
];

function tagsFor(title: string, topicName: string): string[] {
  const tags = tagRules.filter(([words]) => has(title, ...words)).map(([, tag]) => tag);
  if (mentionsPrice(title) || has(title, 'lãi suất')) tags.unshift('giá cả');
  // The topic name is always a sensible tag ("văn hóa, du lịch" → "văn hóa" to keep tags single-subject).
  const topicTag = topicName.split(',')[0].trim().toLowerCase();
  const all = [...new Set([...tags.slice(0, 3), topicTag, 'bình định'])];
  return all.slice(0, 4);
}

/**
 * Fills the columns the source catalogue leaves empty, deterministically (seeded by the entry number).
 * Values already present in the entry win over generated ones.
 */
export function fillDemoEntry(entry: CatalogueEntry): DemoEntryFill {
  const rng = rngFor(`demo-entry:${entry.number}`);
  const title = entry.title.normalize('NFC').toLowerCase();
  const category = categorise(title);
  const updateFrequency = entry.frequency ?? frequencyFor(title, category, rng.next());
  const month = rng.int(0, 27); // March 2023 … June 2025: the plan's period, never in the future.
  const firstPublicationDate =
    entry.firstPublicationDate ?? `${2023 + Math.floor((month + 2) / 12)}-${String(((month + 2) % 12) + 1).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}`;

  const { columns } = generateDemoTable(entry);
  const [lead, purpose, source] = purposes[category];
  const subject = subjectOf(entry.title);
  const scope = /tỉnh|bình định/i.test(subject) ? '' : ' trên địa bàn tỉnh Bình Định';
  const byPlaceAndYear = columns.includes('năm') && columns.includes('huyện') ? ', theo từng năm và từng huyện, thị xã, thành phố' : '';
  const sentences = [
    `Dữ liệu cung cấp ${subject.startsWith('danh sách') ? '' : `${lead} `}${subject}${scope}, ${purpose}.`,
    `Dữ liệu bao gồm các thông tin: ${columns.join(', ')}${byPlaceAndYear}.`,
    `Dữ liệu do ${entry.agencyName} tổng hợp từ ${source} và được cập nhật ${frequencyPhrase[updateFrequency]}.`,
  ];
  const hasCoordinates = columns.includes('vĩ độ');
  if (rng.chance(0.6)) {
    sentences.push(
      hasCoordinates
        ? 'Tọa độ vị trí mang tính tham khảo, có thể sai lệch vài chục mét so với thực địa.'
        : 'Dữ liệu không chứa thông tin cá nhân và đã được đơn vị chủ trì rà soát trước khi công bố.',
    );
  }
  const generatedNote = hasCoordinates ? 'Tọa độ theo hệ WGS84.' : byPlaceAndYear ? 'Số liệu giai đoạn 2019–2024.' : '';

  return {
    description: entry.description || sentences.join(' '),
    updateFrequency,
    firstPublicationDate,
    notes: entry.notes || generatedNote,
    tags: tagsFor(title, entry.topicName),
  };
}
