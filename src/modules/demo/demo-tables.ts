import Papa from 'papaparse';
import { type Rng, rngFor, weightedPick } from './rng.ts';
import { slugify } from '../../lib/slug.ts';
import { type District, businessWords, districtFullName, districts, streetNames } from './vietnam.ts';

/**
 * Realistic demo CSV files for the catalogue's datasets, chosen by keywords of the title. Every value
 * comes from a generator seeded by the entry number, so a re-seeded demo serves byte-identical files.
 * Privacy by construction (Decree 47 Art. 20): rows describe institutions, places and aggregates only;
 * no person's name, ID number, phone or e-mail is ever produced.
 */

export type DemoTableEntry = { number: number; title: string; topicName: string; agencyName: string };
export type DemoTable = { fileName: string; csv: string; rowCount: number; columns: string[] };

type Cell = string | number;
type Table = { columns: string[]; rows: Cell[][] };
/** `title` is lower-cased for keyword tests; `originalTitle` keeps the catalogue's capitals for display. */
type Generator = (rng: Rng, title: string, originalTitle: string) => Table;

const years = [2019, 2020, 2021, 2022, 2023, 2024];
const months = [2023, 2024].flatMap((year) => Array.from({ length: 12 }, (_, i) => `${year}-${String(i + 1).padStart(2, '0')}`));
const quarters = [2023, 2024].flatMap((year) => [1, 2, 3, 4].map((q) => `${year}-Q${q}`));
const villages = ['An Hòa', 'Chánh Thắng', 'Phú Lạc', 'Tân Thành', 'Hòa Hội', 'Mỹ Thuận', 'Trung Lương', 'Vĩnh Lợi', 'Xuân Phong', 'Tân Xuân'];

// ---------- shared helpers ----------

const has = (title: string, ...words: string[]): boolean => words.some((word) => title.includes(word));
/** "giá" as a word (price), not inside "giáo" (education), "đánh giá" (assessment) or "đấu giá" (auction). */
const mentionsPrice = (title: string): boolean => /(^|\s)giá(\s|$)/u.test(title.replace(/đánh giá|đấu giá/g, ''));
const round = (value: number, decimals = 0): number => Math.round(value * 10 ** decimals) / 10 ** decimals;
/** "phường Lê Lợi" → "Lê Lợi": the place name without its administrative unit word. */
const placeName = (commune: string): string => commune.replace(/^(phường|xã|thị trấn) /, '');

function pickDistrict(rng: Rng): District {
  return weightedPick(rng, districts, (district) => district.population);
}

function address(rng: Rng, district: District, commune = rng.pick(district.communes)): string {
  return commune.startsWith('xã')
    ? `thôn ${rng.pick(villages)}, ${commune}`
    : `số ${rng.int(1, 250)} ${rng.pick(streetNames)}, ${commune}`;
}

function point(rng: Rng, district: District): [number, number] {
  return [
    round(district.lat + (rng.next() * 2 - 1) * district.spread, 5),
    round(district.lon + (rng.next() * 2 - 1) * district.spread, 5),
  ];
}

function isoDate(rng: Rng, fromYear: number, toYear: number): string {
  return `${rng.int(fromYear, toYear)}-${String(rng.int(1, 12)).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}`;
}

/** Appends "số 2", "số 3"… so that generated institution names stay unique within a table. */
function uniqueNamer(): (name: string) => string {
  const seen = new Map<string, number>();
  return (name) => {
    const count = (seen.get(name) ?? 0) + 1;
    seen.set(name, count);
    return count === 1 ? name : `${name} số ${count}`;
  };
}

/** A value per year and district: a per-capita base, a yearly trend and ±4% noise. */
function trend(rng: Rng, base: number, growth: number, year: number): number {
  return base * (1 + growth) ** (year - 2019) * (0.96 + rng.next() * 0.08);
}

function haversineKm(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.sqrt(h));
}

// ---------- places: schools, health, tourism, lodging, generic facilities ----------

const schoolLevels = [
  { words: ['nhà trẻ'], level: 'Nhà trẻ', prefix: 'Nhà trẻ', count: [24, 36], pupils: [60, 180], ratio: 10 },
  { words: ['mẫu giáo'], level: 'Mẫu giáo', prefix: 'Trường Mẫu giáo', count: [120, 180], pupils: [120, 420], ratio: 14 },
  { words: ['tiểu học'], level: 'Tiểu học', prefix: 'Trường Tiểu học', count: [180, 230], pupils: [250, 950], ratio: 20 },
  { words: ['trung học cơ sở'], level: 'THCS', prefix: 'Trường THCS', count: [120, 145], pupils: [350, 1100], ratio: 18 },
  { words: ['trung học phổ thông'], level: 'THPT', prefix: 'Trường THPT', count: [45, 55], pupils: [700, 1700], ratio: 18 },
  { words: ['nghề nghiệp'], level: 'Giáo dục nghề nghiệp', prefix: 'Trường Trung cấp nghề', count: [22, 32], pupils: [200, 1500], ratio: 22 },
  { words: ['thường xuyên'], level: 'Giáo dục thường xuyên', prefix: 'Trung tâm học tập cộng đồng', count: [40, 70], pupils: [40, 300], ratio: 12 },
  { words: ['tin học'], level: 'Tin học', prefix: 'Trung tâm Tin học', count: [20, 40], pupils: [50, 400], ratio: 15 },
  { words: ['ngoại ngữ'], level: 'Ngoại ngữ', prefix: 'Trung tâm Ngoại ngữ', count: [30, 60], pupils: [60, 600], ratio: 15 },
] as const;

const schools: Generator = (rng, title) => {
  const level = schoolLevels.find((candidate) => has(title, ...candidate.words)) ?? schoolLevels[2];
  const unique = uniqueNamer();
  const isCentre = level.prefix.startsWith('Trung tâm Tin') || level.prefix.startsWith('Trung tâm Ngoại');
  const rows = Array.from({ length: rng.int(level.count[0], level.count[1]) }, () => {
    const district = pickDistrict(rng);
    const commune = rng.pick(district.communes);
    // Public schools are named after their commune or a historical figure; private centres after a brand.
    const namePart = isCentre ? rng.pick(businessWords) : rng.chance(0.7) ? placeName(commune) : rng.pick(streetNames);
    const ownership = isCentre ? 'Tư thục' : rng.chance(0.88) ? 'Công lập' : rng.pick(['Tư thục', 'Dân lập']);
    const pupils = rng.int(level.pupils[0], level.pupils[1]);
    return [
      unique(`${level.prefix} ${namePart}`),
      level.level,
      ownership,
      address(rng, district, commune),
      districtFullName(district),
      pupils,
      Math.max(3, Math.round((pupils / level.ratio) * (0.9 + rng.next() * 0.2))),
      ...point(rng, district),
    ];
  });
  return {
    columns: ['tên trường', 'cấp học', 'loại hình', 'địa chỉ', 'huyện', 'số học sinh', 'số giáo viên', 'vĩ độ', 'kinh độ'],
    rows,
  };
};

const healthKinds = [
  // Laboratories first: their title also mentions food ("thực phẩm nhập khẩu").
  {
    words: ['kiểm nghiệm'],
    types: ['Phòng kiểm nghiệm', 'Trung tâm Kiểm nghiệm', 'Phòng thử nghiệm'],
    licence: 'VILAS',
    count: [20, 28],
    beds: false,
  },
  {
    words: ['thuốc'],
    types: ['Nhà thuốc', 'Nhà thuốc', 'Quầy thuốc', 'Quầy thuốc', 'Công ty TNHH Dược phẩm'],
    licence: 'ĐKKDD-BĐ',
    count: [120, 260],
    beds: false,
  },
  {
    words: ['khám bệnh', 'tiêm chủng'],
    types: ['Trạm Y tế', 'Trạm Y tế', 'Trạm Y tế', 'Phòng khám đa khoa', 'Phòng khám chuyên khoa', 'Phòng khám chuyên khoa'],
    licence: 'BĐ-GPHĐ',
    count: [80, 160],
    beds: true,
  },
  {
    words: ['thực phẩm', 'ăn uống'],
    types: ['Cơ sở sản xuất nước mắm', 'Cơ sở sản xuất bánh tráng', 'Nhà hàng', 'Bếp ăn tập thể', 'Cơ sở chế biến hải sản'],
    licence: 'ATTP-CNĐK',
    count: [100, 220],
    beds: false,
  },
] as const;

const healthFacilities: Generator = (rng, title) => {
  const kind = healthKinds.find((candidate) => has(title, ...candidate.words)) ?? healthKinds[1];
  const unique = uniqueNamer();
  // Hospital lists start with the provincial hospital and one health centre per district, as in reality.
  const publicHospitals: Array<[string, string, District, number]> = kind.beds
    ? [
        ['Bệnh viện Đa khoa tỉnh Bình Định', 'Bệnh viện đa khoa', districts[0], 1300],
        ...districts.map((district): [string, string, District, number] => [`Trung tâm Y tế ${districtFullName(district)}`, 'Trung tâm Y tế', district, rng.int(60, 250)]),
      ]
    : [];
  const count = rng.int(kind.count[0], kind.count[1]);
  const rows = Array.from({ length: count }, (_, index) => {
    const [fixedName, fixedType, fixedDistrict, fixedBeds] = publicHospitals[index] ?? [];
    const district = fixedDistrict ?? pickDistrict(rng);
    const commune = rng.pick(district.communes);
    const type = fixedType ?? rng.pick(kind.types);
    // Stations are named after their commune; private businesses after a brand word.
    const name = fixedName ?? unique(`${type} ${type.startsWith('Trạm') ? placeName(commune) : rng.pick(businessWords)}`);
    const beds = fixedBeds ?? (type.startsWith('Trạm') ? rng.int(2, 8) : 0);
    const row: Cell[] = [name, type, `${String(index + 1).padStart(3, '0')}/${kind.licence}`, isoDate(rng, 2016, 2024), address(rng, district, commune), districtFullName(district)];
    if (kind.beds) row.push(beds);
    row.push(...point(rng, district));
    return row;
  });
  const columns = ['tên cơ sở', 'loại hình', 'số giấy phép', 'ngày cấp', 'địa chỉ', 'huyện'];
  if (kind.beds) columns.push('số giường bệnh');
  return { columns: [...columns, 'vĩ độ', 'kinh độ'], rows };
};

/** Well-known Bình Định sites; coordinates are scattered around the district centre, not surveyed. */
const touristSites: ReadonlyArray<[name: string, type: string, districtSlug: string, ticket: number]> = [
  ['Kỳ Co', 'Cảnh quan thiên nhiên', 'quy-nhon', 0],
  ['Eo Gió', 'Cảnh quan thiên nhiên', 'quy-nhon', 24000],
  ['Hòn Khô', 'Cảnh quan thiên nhiên', 'quy-nhon', 0],
  ['Cù Lao Xanh', 'Cảnh quan thiên nhiên', 'quy-nhon', 0],
  ['Ghềnh Ráng Tiên Sa', 'Cảnh quan thiên nhiên', 'quy-nhon', 0],
  ['Bãi Xép', 'Cảnh quan thiên nhiên', 'quy-nhon', 0],
  ['Đồi cát Phương Mai', 'Cảnh quan thiên nhiên', 'quy-nhon', 0],
  ['Đầm Thị Nại', 'Cảnh quan thiên nhiên', 'tuy-phuoc', 0],
  ['Khu du lịch sinh thái Hầm Hô', 'Cảnh quan thiên nhiên', 'tay-son', 20000],
  ['Suối khoáng nóng Hội Vân', 'Cảnh quan thiên nhiên', 'phu-cat', 50000],
  ['Hồ Núi Một', 'Cảnh quan thiên nhiên', 'an-nhon', 0],
  ['Đầm Trà Ổ', 'Cảnh quan thiên nhiên', 'phu-my', 0],
  ['Bãi biển Tam Quan', 'Cảnh quan thiên nhiên', 'hoai-nhon', 0],
  ['Cao nguyên Vĩnh Sơn', 'Cảnh quan thiên nhiên', 'vinh-thanh', 0],
  ['Hồ Định Bình', 'Cảnh quan thiên nhiên', 'vinh-thanh', 0],
  ['Tháp Đôi', 'Lịch sử - văn hóa', 'quy-nhon', 0],
  ['Bảo tàng Tổng hợp Bình Định', 'Lịch sử - văn hóa', 'quy-nhon', 0],
  ['Chùa Long Khánh', 'Tâm linh', 'quy-nhon', 0],
  ['Khu lưu niệm Hàn Mặc Tử', 'Lịch sử - văn hóa', 'quy-nhon', 0],
  ['Bảo tàng Quang Trung', 'Lịch sử - văn hóa', 'tay-son', 15000],
  ['Tháp Dương Long', 'Lịch sử - văn hóa', 'tay-son', 0],
  ['Gò Đống Đa', 'Lịch sử - văn hóa', 'tay-son', 0],
  ['Thành Hoàng Đế', 'Lịch sử - văn hóa', 'an-nhon', 0],
  ['Tháp Cánh Tiên', 'Lịch sử - văn hóa', 'an-nhon', 0],
  ['Chùa Thập Tháp Di Đà', 'Tâm linh', 'an-nhon', 0],
  ['Tháp Bánh Ít', 'Lịch sử - văn hóa', 'tuy-phuoc', 0],
  ['Khu lưu niệm Xuân Diệu', 'Lịch sử - văn hóa', 'tuy-phuoc', 0],
  ['Đền thờ Đào Duy Từ', 'Lịch sử - văn hóa', 'hoai-nhon', 0],
  ['Làng nghề rượu Bàu Đá', 'Làng nghề', 'an-nhon', 0],
  ['Làng rèn Tây Phương Danh', 'Làng nghề', 'an-nhon', 0],
  ['Làng nghề nón ngựa Phú Gia', 'Làng nghề', 'phu-cat', 0],
];

const tourism: Generator = (rng) => ({
  columns: ['tên địa điểm', 'loại hình', 'huyện', 'giờ mở cửa', 'giá vé (đồng)', 'vĩ độ', 'kinh độ'],
  rows: touristSites.map(([name, type, slug, ticket]) => {
    const district = districts.find((candidate) => candidate.slug === slug) ?? districts[0];
    const hours = type === 'Cảnh quan thiên nhiên' ? 'cả ngày' : rng.pick(['07:00-17:00', '07:30-17:30', '06:00-18:00']);
    return [name, type, districtFullName(district), hours, ticket, ...point(rng, district)];
  }),
});

const lodging: Generator = (rng) => {
  const unique = uniqueNamer();
  const rows = Array.from({ length: rng.int(80, 180) }, () => {
    // Most rooms are along the Quy Nhơn seafront.
    const district = rng.chance(0.7) ? districts[0] : pickDistrict(rng);
    const type = rng.pick(['Khách sạn', 'Khách sạn', 'Khách sạn', 'Nhà nghỉ', 'Homestay', 'Khu nghỉ dưỡng']);
    const stars = type === 'Khách sạn' ? rng.pick(['1 sao', '2 sao', '2 sao', '3 sao', '3 sao', '4 sao', '5 sao']) : 'chưa xếp hạng';
    const rooms = type === 'Khu nghỉ dưỡng' ? rng.int(60, 300) : type === 'Khách sạn' ? rng.int(15, 180) : rng.int(4, 20);
    return [unique(`${type} ${rng.pick(businessWords)}`), type, stars, rooms, address(rng, district), districtFullName(district), ...point(rng, district)];
  });
  return { columns: ['tên cơ sở lưu trú', 'loại hình', 'hạng', 'số phòng', 'địa chỉ', 'huyện', 'vĩ độ', 'kinh độ'], rows };
};

/** Lists of places that need only a name, a kind and a location. */
const facilityKinds: ReadonlyArray<{ words: string[]; types: string[]; count: [number, number]; byPlace: boolean }> = [
  { words: ['wi-fi'], types: ['Điểm Wi-Fi công cộng'], count: [30, 80], byPlace: true },
  { words: ['camera'], types: ['Camera giám sát nút giao'], count: [40, 120], byPlace: false },
  { words: ['báo hiệu'], types: ['Đèn tín hiệu giao thông nút giao', 'Biển báo hiệu nút giao'], count: [60, 160], byPlace: false },
  { words: ['cấm đỗ'], types: ['Tuyến cấm đỗ xe đường'], count: [20, 40], byPlace: false },
  { words: ['thực phẩm'], types: ['Cơ sở sản xuất nước mắm', 'Cơ sở chế biến hải sản', 'Cơ sở sản xuất bánh tráng', 'Cửa hàng thực phẩm'], count: [60, 160], byPlace: false },
  { words: ['cơ sở chăn nuôi'], types: ['Trang trại chăn nuôi', 'Cơ sở giết mổ gia súc', 'Cơ sở chế biến thịt'], count: [40, 100], byPlace: true },
  { words: ['vui chơi'], types: ['Khu vui chơi giải trí', 'Trung tâm mua sắm', 'Phố đi bộ', 'Khu ẩm thực'], count: [20, 45], byPlace: false },
  { words: ['thông tin phục vụ khách'], types: ['Quầy thông tin du lịch'], count: [20, 30], byPlace: true },
  { words: ['chợ'], types: ['Chợ'], count: [60, 140], byPlace: true },
  { words: ['siêu thị', 'trung tâm thương mại'], types: ['Siêu thị', 'Trung tâm thương mại', 'Cửa hàng tiện lợi'], count: [20, 45], byPlace: false },
  { words: ['cụm công nghiệp'], types: ['Cụm công nghiệp'], count: [40, 60], byPlace: true },
  { words: ['thư viện'], types: ['Thư viện', 'Tủ sách cộng đồng'], count: [25, 60], byPlace: true },
  { words: ['đỗ xe', 'trông giữ'], types: ['Bãi đỗ xe', 'Điểm trông giữ xe'], count: [25, 60], byPlace: false },
  { words: ['cảng', 'bến', 'neo đậu'], types: ['Bến thủy nội địa', 'Khu neo đậu tránh trú bão', 'Cảng cá', 'Bến cá'], count: [20, 40], byPlace: true },
  { words: ['ga '], types: ['Ga'], count: [20, 24], byPlace: true },
  { words: ['trò chơi điện tử'], types: ['Điểm cung cấp dịch vụ trò chơi điện tử'], count: [40, 120], byPlace: false },
  { words: ['bưu chính'], types: ['Bưu cục', 'Điểm Bưu điện - Văn hóa xã'], count: [60, 140], byPlace: true },
  { words: ['công viên', 'hạ tầng xã hội'], types: ['Công viên', 'Nhà vệ sinh công cộng', 'Sân thể thao'], count: [40, 100], byPlace: true },
  { words: ['nhà hát', 'rạp', 'công trình văn hóa'], types: ['Nhà văn hóa', 'Rạp chiếu phim', 'Nhà hát', 'Nhà triển lãm'], count: [20, 45], byPlace: true },
  { words: ['trợ giúp xã hội', 'nuôi dưỡng', 'điều dưỡng'], types: ['Trung tâm Bảo trợ xã hội', 'Cơ sở nuôi dưỡng', 'Trung tâm Điều dưỡng người có công'], count: [20, 30], byPlace: true },
  { words: ['bảo tồn biển', 'nuôi trồng thủy sản'], types: ['Vùng nuôi trồng thủy sản', 'Khu bảo tồn biển', 'Cơ sở nuôi tôm'], count: [30, 90], byPlace: true },
  { words: ['đào tạo lái xe', 'sát hạch'], types: ['Cơ sở đào tạo lái xe', 'Trung tâm sát hạch lái xe'], count: [20, 26], byPlace: false },
];

const facilities: Generator = (rng, title) => {
  const kind = facilityKinds.find((candidate) => has(title, ...candidate.words)) ?? facilityKinds[0];
  const unique = uniqueNamer();
  const rows = Array.from({ length: rng.int(kind.count[0], kind.count[1]) }, () => {
    const district = pickDistrict(rng);
    const commune = rng.pick(district.communes);
    const type = rng.pick(kind.types);
    // Traffic devices sit at a junction of two streets; prohibited parking is a street.
    const namePart = type.endsWith('nút giao')
      ? rng.sample(streetNames, 2).join(' - ')
      : type.endsWith('đường')
        ? rng.pick(streetNames)
        : kind.byPlace
        ? placeName(commune)
          : rng.pick(businessWords);
    return [unique(`${type} ${namePart}`), type, address(rng, district, commune), districtFullName(district), ...point(rng, district)];
  });
  return { columns: ['tên', 'loại hình', 'địa chỉ', 'huyện', 'vĩ độ', 'kinh độ'], rows };
};

// ---------- transport routes ----------

const busRoutes: Generator = (rng) => {
  const quyNhon = districts[0];
  const unique = uniqueNamer();
  const rows = Array.from({ length: rng.int(20, 28) }, (_, index) => {
    const district = rng.pick(districts.slice(1));
    const end = rng.pick(district.communes);
    // Roads wind a little: about 10% longer than the straight line, plus the stretch to the commune.
    const km = round(haversineKm(quyNhon, district) * (1.05 + rng.next() * 0.1) + rng.int(3, 8), 1);
    const trips = Math.max(8, Math.round(70 - km) + rng.int(-4, 4));
    // Subsidised fares of roughly 550 đồng/km, rounded to 1,000 đồng.
    const fare = Math.max(8000, Math.round((km * 550) / 1000) * 1000);
    return [String(index + 1).padStart(2, '0'), unique(`Quy Nhơn - ${placeName(end)}`), 'Bến xe khách trung tâm Quy Nhơn', `Chợ ${placeName(end)}`, km, fare, trips, '05:30-18:30'];
  });
  return {
    columns: ['mã tuyến', 'tên tuyến', 'điểm đầu', 'điểm cuối', 'cự ly (km)', 'giá vé (đồng)', 'số chuyến/ngày', 'thời gian hoạt động'],
    rows,
  };
};

/** Fixed inter-provincial coach routes: destinations with licence-plate province codes and road distance from Quy Nhơn. */
const coachDestinations: ReadonlyArray<[station: string, province: string, code: string, km: number]> = [
  ['Bến xe Miền Đông mới', 'TP. Hồ Chí Minh', '50', 650],
  ['Bến xe Nước Ngầm', 'Hà Nội', '29', 1065],
  ['Bến xe Trung tâm Đà Nẵng', 'Đà Nẵng', '43', 320],
  ['Bến xe Đức Long Gia Lai', 'Gia Lai', '81', 170],
  ['Bến xe Kon Tum', 'Kon Tum', '82', 205],
  ['Bến xe phía Bắc Buôn Ma Thuột', 'Đắk Lắk', '47', 360],
  ['Bến xe phía Nam Nha Trang', 'Khánh Hòa', '79', 220],
  ['Bến xe Quảng Ngãi', 'Quảng Ngãi', '76', 175],
  ['Bến xe Tuy Hòa', 'Phú Yên', '78', 100],
  ['Bến xe liên tỉnh Đà Lạt', 'Lâm Đồng', '49', 420],
  ['Bến xe Biên Hòa', 'Đồng Nai', '60', 630],
];
const coachOrigins: ReadonlyArray<[station: string, offsetKm: number]> = [
  ['Bến xe khách trung tâm Quy Nhơn', 0],
  ['Bến xe Bồng Sơn', 85],
  ['Bến xe Phù Cát', 30],
  ['Bến xe Phú Phong', 45],
];

const coachRoutes: Generator = (rng) => {
  const rows: Cell[][] = [];
  for (const [origin, offset] of coachOrigins) {
    for (const [station, province, code, baseKm] of coachDestinations) {
      if (origin !== coachOrigins[0][0] && rng.chance(0.4)) continue;
      // Northern destinations are nearer from Bồng Sơn; southern and western ones farther.
      const km = ['43', '76', '29'].includes(code) ? Math.max(60, baseKm - offset) : baseKm + offset;
      const fare = Math.round((km * 900 + 60000) / 10000) * 10000;
      rows.push([`77${code}.${rng.int(1111, 1999)}.A`, origin, station, province, km, rng.int(30, 300), fare]);
    }
  }
  return { columns: ['mã tuyến', 'bến đi', 'bến đến', 'tỉnh đến', 'cự ly (km)', 'số chuyến/tháng', 'giá vé (đồng)'], rows };
};

// ---------- organisations and licences ----------

/** Each legal form comes with its field, so a notary office is never listed under "auctions". */
type OrganisationForm = [form: string, sector: string];
const organisationKinds: ReadonlyArray<{ words: string[]; forms: OrganisationForm[] }> = [
  { words: ['hợp tác xã', 'quỹ tín dụng'], forms: [['Hợp tác xã Nông nghiệp', 'Nông nghiệp'], ['Hợp tác xã Thủy sản', 'Thủy sản'], ['Quỹ tín dụng nhân dân', 'Tín dụng'], ['Hợp tác xã Dịch vụ', 'Dịch vụ tổng hợp']] },
  { words: ['taxi'], forms: [['Công ty TNHH Taxi', 'Vận tải hành khách bằng taxi'], ['Công ty Cổ phần Taxi', 'Vận tải hành khách bằng taxi']] },
  { words: ['vận tải'], forms: [['Công ty TNHH Vận tải', 'Vận tải hàng hóa'], ['Công ty Cổ phần Vận tải', 'Vận tải hành khách'], ['Công ty TNHH Logistics', 'Logistics']] },
  { words: ['lữ hành'], forms: [['Công ty TNHH Du lịch', 'Lữ hành nội địa'], ['Công ty Cổ phần Lữ hành', 'Lữ hành quốc tế']] },
  { words: ['công chứng'], forms: [['Văn phòng công chứng', 'Công chứng'], ['Phòng Công chứng số', 'Công chứng']] },
  { words: ['luật sư', 'pháp lý'], forms: [['Văn phòng luật sư', 'Hành nghề luật sư'], ['Công ty Luật TNHH', 'Hành nghề luật sư'], ['Chi nhánh Trợ giúp pháp lý', 'Trợ giúp pháp lý']] },
  { words: ['đấu giá'], forms: [['Công ty Đấu giá hợp danh', 'Đấu giá tài sản'], ['Doanh nghiệp đấu giá tư nhân', 'Đấu giá tài sản']] },
  { words: ['hội', 'quỹ'], forms: [['Hội', 'Xã hội'], ['Hiệp hội', 'Nghề nghiệp'], ['Câu lạc bộ', 'Văn hóa - Thể thao'], ['Quỹ Bảo trợ', 'Từ thiện']] },
  { words: ['báo chí', 'xuất bản'], forms: [['Văn phòng đại diện báo', 'Báo chí'], ['Tạp chí', 'Báo chí'], ['Nhà xuất bản', 'Xuất bản'], ['Cơ quan thường trú', 'Báo chí']] },
  { words: ['pcpnn', 'phi chính phủ'], forms: [['Tổ chức phi chính phủ', 'Y tế - Giáo dục'], ['Quỹ hỗ trợ phát triển', 'Sinh kế']] },
];
const companyForms: OrganisationForm[] = ['Chế biến gỗ', 'Thủy sản', 'Xây dựng', 'Thương mại', 'Du lịch', 'Vận tải', 'Nông sản', 'Cơ khí'].flatMap(
  (sector): OrganisationForm[] => [[`Công ty TNHH ${sector}`, sector], [`Công ty Cổ phần ${sector}`, sector]],
);

const organisations: Generator = (rng, title) => {
  const forms = organisationKinds.find((candidate) => has(title, ...candidate.words))?.forms ?? companyForms;
  // The registration list of 59-61 tracks status changes; other lists show organisations in operation.
  const statuses = has(title, 'giải thể', 'tạm ngưng', 'tạm ngừng')
    ? ['Thành lập mới', 'Thành lập mới', 'Đang hoạt động', 'Tạm ngừng kinh doanh', 'Giải thể', 'Hoạt động trở lại']
    : ['Đang hoạt động'];
  const unique = uniqueNamer();
  const rows = Array.from({ length: rng.int(40, 200) }, () => {
    const district = pickDistrict(rng);
    const [form, sector] = rng.pick(forms);
    // Bình Định tax codes start with 41 and have 10 digits: unlike 9/12-digit ID numbers, they identify firms.
    return [
      unique(`${form} ${rng.pick(businessWords)}`),
      `41${String(rng.int(0, 99_999_999)).padStart(8, '0')}`,
      sector,
      address(rng, district),
      districtFullName(district),
      isoDate(rng, 2010, 2024),
      rng.pick(statuses),
    ];
  });
  return { columns: ['tên đơn vị', 'mã số thuế', 'lĩnh vực', 'địa chỉ', 'huyện', 'ngày đăng ký', 'tình trạng'], rows };
};

const licences: Generator = (rng, title) => {
  const subject = has(title, 'khoáng sản')
    ? ['Khai thác đá xây dựng', 'Khai thác cát', 'Thăm dò titan', 'Khai thác đất san lấp']
    : has(title, 'nước')
      ? ['Khai thác nước dưới đất', 'Khai thác nước mặt', 'Xả nước thải vào nguồn nước']
      : has(title, 'xây dựng')
        ? ['Xây dựng mới công trình', 'Sửa chữa, cải tạo', 'Xây dựng có thời hạn']
        : has(title, 'môi trường', 'tác động')
          ? ['Dự án chế biến thủy sản', 'Dự án khu dân cư', 'Nhà máy chế biến gỗ', 'Dự án điện mặt trời']
          : ['Cấp mới', 'Cấp lại', 'Sửa đổi, bổ sung', 'Gia hạn'];
  const code = has(title, 'xây dựng') ? 'GPXD' : has(title, 'môi trường', 'tác động') ? 'QĐ-UBND' : 'GP-UBND';
  const rows = Array.from({ length: rng.int(30, 160) }, (_, index) => {
    const district = pickDistrict(rng);
    const issued = isoDate(rng, 2020, 2024);
    const validFor = rng.pick([0, 3, 5, 10]);
    const expires = validFor === 0 ? 'không thời hạn' : `${Number(issued.slice(0, 4)) + validFor}${issued.slice(4)}`;
    return [
      `${index + 1}/${code}`,
      issued,
      // Holders are always organisations: a household or person with an address would be personal data.
      `${rng.pick(['Công ty TNHH', 'Công ty Cổ phần', 'Hợp tác xã'])} ${rng.pick(businessWords)}`,
      rng.pick(subject),
      rng.pick(district.communes),
      districtFullName(district),
      expires,
    ];
  });
  return { columns: ['số giấy phép', 'ngày cấp', 'tổ chức được cấp', 'nội dung', 'địa điểm', 'huyện', 'thời hạn đến'], rows };
};

// ---------- prices ----------

type PriceItem = [item: string, unit: string, price: number];
const priceLists: ReadonlyArray<{ words: string[]; period: 'month' | 'quarter'; items: PriceItem[] }> = [
  {
    words: ['vật liệu'],
    period: 'month',
    items: [
      ['Xi măng PCB40 (bao 50 kg)', 'đồng/bao', 86000],
      ['Thép cuộn D6', 'đồng/kg', 15600],
      ['Thép thanh vằn D16', 'đồng/kg', 15900],
      ['Cát xây', 'đồng/m³', 260000],
      ['Đá 1x2', 'đồng/m³', 330000],
      ['Gạch tuynel 4 lỗ', 'đồng/viên', 1300],
      ['Nhựa đường', 'đồng/kg', 17500],
      ['Sơn nước nội thất', 'đồng/lít', 62000],
    ],
  },
  {
    words: ['nhân công'],
    period: 'quarter',
    items: [
      ['Nhân công nhóm I, bậc 3/7', 'đồng/ngày công', 235000],
      ['Nhân công nhóm II, bậc 3/7', 'đồng/ngày công', 248000],
      ['Kỹ sư bậc 4/8', 'đồng/ngày công', 310000],
      ['Thợ lặn bậc 2/4', 'đồng/ngày công', 420000],
    ],
  },
  {
    words: ['ca máy'],
    period: 'quarter',
    items: [
      ['Máy đào 0,8 m³', 'đồng/ca', 3100000],
      ['Máy ủi 110 CV', 'đồng/ca', 2800000],
      ['Ô tô tự đổ 10 T', 'đồng/ca', 2400000],
      ['Máy trộn bê tông 250 lít', 'đồng/ca', 350000],
      ['Cần cẩu bánh hơi 16 T', 'đồng/ca', 3600000],
    ],
  },
  {
    words: ['chỉ số giá'],
    period: 'quarter',
    items: [
      ['Công trình dân dụng', '% (năm 2020 = 100)', 108],
      ['Công trình công nghiệp', '% (năm 2020 = 100)', 106],
      ['Công trình giao thông', '% (năm 2020 = 100)', 111],
      ['Công trình thủy lợi', '% (năm 2020 = 100)', 107],
      ['Công trình hạ tầng kỹ thuật', '% (năm 2020 = 100)', 109],
    ],
  },
  {
    words: ['chăn nuôi'],
    period: 'month',
    items: [
      ['Lợn hơi', 'đồng/kg', 58000],
      ['Bò hơi', 'đồng/kg', 92000],
      ['Gà thả vườn', 'đồng/kg', 82000],
      ['Vịt hơi', 'đồng/kg', 45000],
      ['Trứng gà', 'đồng/quả', 3000],
    ],
  },
  {
    words: ['giá thuốc'],
    period: 'quarter',
    items: [
      ['Paracetamol 500 mg, viên nén', 'đồng/viên', 250],
      ['Amoxicillin 500 mg, viên nang', 'đồng/viên', 900],
      ['Metformin 850 mg, viên nén', 'đồng/viên', 600],
      ['Amlodipin 5 mg, viên nén', 'đồng/viên', 400],
      ['Omeprazol 20 mg, viên nang', 'đồng/viên', 700],
      ['Cefuroxim 500 mg, viên nén', 'đồng/viên', 4500],
      ['Losartan 50 mg, viên nén', 'đồng/viên', 1200],
      ['Atorvastatin 20 mg, viên nén', 'đồng/viên', 1500],
    ],
  },
  {
    words: ['khám bệnh'],
    period: 'quarter',
    items: [
      ['Khám bệnh tại bệnh viện hạng I', 'đồng/lượt', 50600],
      ['Khám bệnh tại bệnh viện hạng III', 'đồng/lượt', 37500],
      ['Ngày giường nội khoa hạng I', 'đồng/ngày', 250000],
      ['Siêu âm', 'đồng/lần', 49300],
      ['Chụp X-quang số hóa 1 phim', 'đồng/lần', 69000],
      ['Tổng phân tích tế bào máu', 'đồng/lần', 46200],
    ],
  },
];
const essentialGoods: PriceItem[] = [
  ['Gạo tẻ thường', 'đồng/kg', 15000],
  ['Thịt lợn nạc', 'đồng/kg', 120000],
  ['Cá ngừ', 'đồng/kg', 95000],
  ['Đường trắng', 'đồng/kg', 24000],
  ['Dầu ăn', 'đồng/lít', 48000],
];

const prices: Generator = (rng, title) => {
  const list = priceLists.find((candidate) => has(title, ...candidate.words)) ?? { period: 'month' as const, items: essentialGoods };
  const periods = list.period === 'month' ? months : quarters;
  const rows: Cell[][] = [];
  for (const [item, unit, base] of list.items) {
    let price = base;
    for (const period of periods) {
      // A random walk with a slight upward drift, like real price series.
      price *= 1 + (rng.next() - 0.45) * (list.period === 'month' ? 0.04 : 0.03);
      const decimals = unit.startsWith('%') ? 2 : 0;
      const step = base >= 100000 ? 1000 : base >= 10000 ? 100 : 1;
      rows.push([period, item, unit, decimals ? round(price, decimals) : Math.round(price / step) * step]);
    }
  }
  return { columns: [list.period === 'month' ? 'tháng' : 'quý', 'mặt hàng', 'đơn vị tính', 'giá'], rows };
};

const interestRates: Generator = (rng) => {
  const banks = ['Agribank chi nhánh Bình Định', 'Vietcombank chi nhánh Quy Nhơn', 'BIDV chi nhánh Bình Định', 'VietinBank chi nhánh Bình Định', 'Sacombank chi nhánh Bình Định'];
  const terms: Array<[string, number]> = [['không kỳ hạn', 0.2], ['1 tháng', 2.6], ['6 tháng', 3.8], ['12 tháng', 5.0]];
  const rows: Cell[][] = [];
  for (const month of months.slice(12)) {
    for (const bank of banks) {
      for (const [term, rate] of terms) rows.push([month, bank, term, round(rate + (rng.next() - 0.5) * 0.4, 2)]);
    }
  }
  return { columns: ['tháng', 'tổ chức tín dụng', 'kỳ hạn', 'lãi suất (%/năm)'], rows };
};

const landPrices: Generator = (rng, title) => {
  const agricultural = has(title, 'nông nghiệp') && !has(title, 'phi nông nghiệp');
  const rows: Cell[][] = [];
  for (const district of districts) {
    const urban = district.unit !== 'huyện' ? 2.5 : 1;
    for (const commune of rng.sample(district.communes, agricultural ? 3 : 2)) {
      const kinds = agricultural
        ? ['Đất trồng lúa', 'Đất trồng cây hàng năm khác', 'Đất trồng cây lâu năm', 'Đất rừng sản xuất', 'Đất nuôi trồng thủy sản']
        : rng.sample(streetNames, 3).map((street) => `Đất ở đường ${street}`);
      for (const kind of kinds) {
        const top = agricultural ? rng.int(35, 95) * (urban > 1 ? 1.4 : 1) : rng.int(1500, 9000) * urban;
        // Positions 2 and 3 (deeper into the block) are priced as fractions of position 1, as in the decree.
        rows.push([districtFullName(district), commune, kind, Math.round(top), Math.round(top * 0.7), Math.round(top * 0.5), '2020-2024']);
      }
    }
  }
  return { columns: ['huyện', 'phường/xã', 'loại đất / tuyến đường', 'vị trí 1 (nghìn đồng/m²)', 'vị trí 2 (nghìn đồng/m²)', 'vị trí 3 (nghìn đồng/m²)', 'giai đoạn'], rows };
};

// ---------- statistics by year and district ----------

type Indicator = { column: string; perCapita?: number; percent?: [number, number]; growth: number; decimals?: number };
/** Wide tables: one row per year and district, one column per indicator. Rates are per inhabitant. */
const indicatorSets: ReadonlyArray<{ words: string[]; indicators: Indicator[] }> = [
  { words: ['phủ sóng', 'phủ băng rộng'], indicators: [{ column: 'tỷ lệ thôn, làng được phủ (%)', percent: [82, 97], growth: 0.01, decimals: 1 }] },
  { words: ['thuê bao điện thoại di động'], indicators: [{ column: 'số thuê bao di động', perCapita: 1.25, growth: 0.02 }] },
  { words: ['thuê bao điện thoại cố định'], indicators: [{ column: 'số thuê bao cố định', perCapita: 0.018, growth: -0.08 }] },
  { words: ['thuê bao băng rộng cố định', 'băng rộng cố định'], indicators: [{ column: 'số thuê bao băng rộng cố định', perCapita: 0.22, growth: 0.08 }] },
  { words: ['băng rộng di động'], indicators: [{ column: 'số thuê bao băng rộng di động', perCapita: 0.75, growth: 0.07 }] },
  { words: ['brcd'], indicators: [{ column: 'tốc độ tải xuống (Mbps)', percent: [70, 110], growth: 0.12, decimals: 1 }, { column: 'độ trễ (ms)', percent: [14, 22], growth: -0.05, decimals: 1 }] },
  { words: ['brdd'], indicators: [{ column: 'tốc độ tải xuống (Mbps)', percent: [25, 45], growth: 0.14, decimals: 1 }, { column: 'độ trễ (ms)', percent: [30, 45], growth: -0.06, decimals: 1 }] },
  { words: ['thất nghiệp của lực lượng'], indicators: [{ column: 'tỷ lệ thất nghiệp (%)', percent: [1.6, 3.4], growth: -0.02, decimals: 2 }] },
  { words: ['người đóng bảo hiểm'], indicators: [{ column: 'số người tham gia BHXH', perCapita: 0.13, growth: 0.05 }, { column: 'số người tham gia BHYT', perCapita: 0.9, growth: 0.01 }, { column: 'số người tham gia BHTN', perCapita: 0.1, growth: 0.04 }] },
  { words: ['bảo hiểm thất nghiệp'], indicators: [{ column: 'số người hưởng trợ cấp thất nghiệp', perCapita: 0.006, growth: 0.03 }] },
  { words: ['hưởng chế độ bảo hiểm xã hội'], indicators: [{ column: 'số người hưởng lương hưu, trợ cấp hằng tháng', perCapita: 0.026, growth: 0.03 }, { column: 'số lượt hưởng chế độ ốm đau, thai sản', perCapita: 0.04, growth: 0.04 }] },
  { words: ['trợ giúp xã hội hàng tháng'], indicators: [{ column: 'số đối tượng hưởng trợ cấp hằng tháng', perCapita: 0.031, growth: 0.02 }] },
  { words: ['khám chữa bệnh bảo hiểm'], indicators: [{ column: 'số lượt khám chữa bệnh BHYT', perCapita: 2.3, growth: 0.04 }] },
  { words: ['đăng ký các loại xe'], indicators: [{ column: 'số mô tô, xe máy đăng ký mới', perCapita: 0.021, growth: 0.01 }, { column: 'số ô tô đăng ký mới', perCapita: 0.0035, growth: 0.12 }, { column: 'số xe thu hồi đăng ký', perCapita: 0.002, growth: 0.05 }] },
  { words: ['ngân sách'], indicators: [{ column: 'thu ngân sách (tỷ đồng)', perCapita: 0.0062, growth: 0.06, decimals: 1 }, { column: 'chi ngân sách (tỷ đồng)', perCapita: 0.0085, growth: 0.05, decimals: 1 }] },
  { words: ['giấy phép lái xe'], indicators: [{ column: 'số GPLX hạng A1 cấp mới', perCapita: 0.012, growth: 0.0 }, { column: 'số GPLX hạng B cấp mới', perCapita: 0.004, growth: 0.1 }] },
];

/** Mountain districts have higher poverty rates; the rest of the province follows the coastal plain. */
const highlands = new Set(['an-lao', 'vinh-thanh', 'van-canh', 'hoai-an']);

const indicatorTable = (indicators: Indicator[]): Generator => (rng) => {
  const rows: Cell[][] = [];
  for (const year of years) {
    for (const district of districts) {
      const values = indicators.map((indicator) => {
        const base = indicator.perCapita !== undefined ? indicator.perCapita * district.population : indicator.percent![0] + rng.next() * (indicator.percent![1] - indicator.percent![0]);
        const value = trend(rng, base, indicator.growth, year);
        return indicator.percent && indicator.column.includes('%') ? Math.min(100, round(value, indicator.decimals ?? 1)) : round(value, indicator.decimals ?? 0);
      });
      rows.push([year, districtFullName(district), ...values]);
    }
  }
  return { columns: ['năm', 'huyện', ...indicators.map((indicator) => indicator.column)], rows };
};

const population: Generator = (rng) => {
  const rows: Cell[][] = [];
  for (const year of years) {
    for (const district of districts) {
      const people = Math.round(trend(rng, district.population, 0.005, year));
      rows.push([year, districtFullName(district), people, district.areaKm2, Math.round(people / district.areaKm2)]);
    }
  }
  return { columns: ['năm', 'huyện', 'dân số trung bình (người)', 'diện tích (km²)', 'mật độ dân số (người/km²)'], rows };
};

const poorHouseholds: Generator = (rng) => {
  const rows: Cell[][] = [];
  for (const year of years) {
    for (const district of districts) {
      const households = Math.round(trend(rng, district.population / 3.7, 0.01, year));
      const rate = (highlands.has(district.slug) ? 0.18 : 0.035) * 0.85 ** (year - 2019) * (0.9 + rng.next() * 0.2);
      const poor = Math.round(households * rate);
      const nearPoor = Math.round(households * rate * 1.1);
      rows.push([year, districtFullName(district), households, poor, round((poor / households) * 100, 2), nearPoor, round((nearPoor / households) * 100, 2)]);
    }
  }
  return { columns: ['năm', 'huyện', 'tổng số hộ', 'số hộ nghèo', 'tỷ lệ hộ nghèo (%)', 'số hộ cận nghèo', 'tỷ lệ hộ cận nghèo (%)'], rows };
};

/** Long tables: year × district × item (school level, crop, livestock, forest type, economic sector). */
const itemisedSets: ReadonlyArray<{ words: string[]; itemColumn: string; valueColumns: string[]; items: Array<[string, ...number[]]> }> = [
  { words: ['số giáo viên', 'số học sinh'], itemColumn: 'cấp học', valueColumns: ['số học sinh', 'số giáo viên'], items: [['Mầm non', 0.045, 0.0032], ['Tiểu học', 0.085, 0.0043], ['THCS', 0.065, 0.0036], ['THPT', 0.038, 0.0021]] },
  { words: ['trồng trọt', 'sản xuất nông nghiệp'], itemColumn: 'cây trồng', valueColumns: ['diện tích gieo trồng (ha)', 'sản lượng (tấn)'], items: [['Lúa', 0.07, 0.45], ['Ngô', 0.006, 0.035], ['Sắn', 0.009, 0.2], ['Lạc', 0.006, 0.017]] },
  { words: ['chăn nuôi'], itemColumn: 'vật nuôi', valueColumns: ['tổng đàn (con)', 'sản lượng thịt hơi (tấn)'], items: [['Lợn', 0.45, 0.06], ['Bò', 0.2, 0.008], ['Gà', 5.5, 0.012], ['Vịt', 1.4, 0.003]] },
  { words: ['rừng'], itemColumn: 'loại rừng', valueColumns: ['diện tích rừng tự nhiên (ha)', 'diện tích rừng trồng (ha)'], items: [['Rừng phòng hộ', 0.3, 0.08], ['Rừng đặc dụng', 0.05, 0.005], ['Rừng sản xuất', 0.1, 0.25]] },
  { words: ['loại hình kinh tế'], itemColumn: 'loại hình kinh tế', valueColumns: ['số lao động có việc làm (người)'], items: [['Nhà nước', 0.045], ['Ngoài nhà nước', 0.5], ['Có vốn đầu tư nước ngoài', 0.025]] },
];

const itemisedTable = (set: (typeof itemisedSets)[number]): Generator => (rng) => {
  const forest = set.itemColumn === 'loại rừng';
  const rows: Cell[][] = [];
  for (const year of years) {
    for (const district of districts) {
      for (const [item, ...rates] of set.items) {
        // Forests scale with land area (and are mostly in the highlands), everything else with people.
        const size = forest ? district.areaKm2 * 100 * (highlands.has(district.slug) ? 1.6 : 0.6) : district.population;
        rows.push([year, districtFullName(district), item, ...rates.map((rate) => Math.round(trend(rng, rate * size, 0.01, year)))]);
      }
    }
  }
  return { columns: ['năm', 'huyện', set.itemColumn, ...set.valueColumns], rows };
};

/** Environmental monitoring: monitoring points × quarters × parameters, with the QCVN limit for comparison. */
const monitoring: Generator = (rng, title) => {
  const parameters: Array<[string, string, number, number]> = has(title, 'không khí')
    ? [['Bụi TSP', 'µg/m³', 120, 300], ['PM10', 'µg/m³', 55, 150], ['SO2', 'µg/m³', 30, 350], ['NO2', 'µg/m³', 35, 200], ['CO', 'µg/m³', 4000, 30000]]
    : has(title, 'đất')
      ? [['Asen (As)', 'mg/kg', 8, 25], ['Cadimi (Cd)', 'mg/kg', 0.8, 4], ['Chì (Pb)', 'mg/kg', 30, 200], ['Đồng (Cu)', 'mg/kg', 40, 300], ['Kẽm (Zn)', 'mg/kg', 90, 500]]
      : [['pH', 'không đơn vị', 7.2, 8.5], ['BOD5', 'mg/l', 8, 15], ['COD', 'mg/l', 18, 30], ['TSS', 'mg/l', 28, 50], ['Amoni (NH4+)', 'mg/l', 0.4, 0.9]];
  const points = rng.sample(districts, 6).map((district) => ({ district, name: `Điểm quan trắc ${placeName(rng.pick(district.communes))}` }));
  const rows: Cell[][] = [];
  for (const quarter of quarters) {
    for (const { district, name } of points) {
      for (const [parameter, unit, typical, limit] of parameters) {
        const value = round(typical * (0.6 + rng.next() * 0.9), typical < 10 ? 2 : 1);
        rows.push([quarter, name, districtFullName(district), parameter, value, unit, limit, value <= limit ? 'Đạt' : 'Vượt']);
      }
    }
  }
  return { columns: ['quý', 'điểm quan trắc', 'huyện', 'thông số', 'giá trị', 'đơn vị', 'giới hạn QCVN', 'đánh giá'], rows };
};

const events: Generator = (rng) => {
  const names = ['Lễ hội Đống Đa', 'Lễ hội chợ Gò', 'Lễ hội cầu ngư', 'Liên hoan Võ cổ truyền', 'Hội thi Bài Chòi', 'Lễ hội Đua thuyền', 'Hội chợ Xuân', 'Đêm nhạc Hàn Mặc Tử', 'Ngày hội Văn hóa các dân tộc thiểu số', 'Giải việt dã', 'Lễ hội Thả diều', 'Liên hoan ẩm thực đường phố'];
  const rows = Array.from({ length: rng.int(30, 60) }, () => {
    const district = pickDistrict(rng);
    const start = isoDate(rng, 2024, 2025);
    const end = `${start.slice(0, 8)}${String(Math.min(28, Number(start.slice(8)) + rng.int(0, 3))).padStart(2, '0')}`;
    const commune = rng.pick(district.communes);
    return [`${rng.pick(names)} ${placeName(commune)} năm ${start.slice(0, 4)}`, start, end, commune, districtFullName(district), `UBND ${districtFullName(district)}`];
  });
  rows.sort((a, b) => String(a[1]).localeCompare(String(b[1])));
  return { columns: ['tên sự kiện', 'ngày bắt đầu', 'ngày kết thúc', 'địa điểm', 'huyện', 'đơn vị tổ chức'], rows };
};

/** Anything else: one indicator named after the title, per year and district, in long format. */
const fallback: Generator = (rng, title, originalTitle) => {
  const subject = originalTitle.replace(/^(dữ liệu (về )?|danh sách |danh mục )+/i, '').replace(/^các /i, '');
  // Lower an ordinary first word ("Danh mục" → "danh mục") but keep acronyms and names ("PCPNN", "Bình Định").
  const lowered = /^\p{Lu}\p{Ll}/u.test(subject) ? subject[0].toLowerCase() + subject.slice(1) : subject;
  const indicator = /^(số|tỷ lệ)/i.test(lowered) ? lowered[0].toUpperCase() + lowered.slice(1) : `Số lượng ${lowered}`;
  const unit = has(title, 'tỷ lệ') ? '%' : has(title, 'đoàn') ? 'đoàn' : has(title, 'hội nghị') ? 'hội nghị' : has(title, 'dự án') ? 'dự án' : has(title, 'hồ sơ') ? 'hồ sơ' : has(title, 'tàu') ? 'tàu' : has(title, 'người') ? 'người' : has(title, 'sản phẩm') ? 'sản phẩm' : has(title, 'thành tích') ? 'huy chương' : 'đơn vị';
  const perThousand = unit === 'người' ? rng.int(2, 12) : rng.int(5, 60) / 100;
  const rows: Cell[][] = [];
  for (const year of years) {
    for (const district of districts) {
      const value = unit === '%' ? Math.min(100, round(60 + rng.next() * 35, 1)) : Math.round(trend(rng, (district.population / 1000) * perThousand, 0.04, year));
      rows.push([year, districtFullName(district), indicator, value, unit]);
    }
  }
  return { columns: ['năm', 'huyện', 'chỉ tiêu', 'giá trị', 'đơn vị tính'], rows };
};

// ---------- choosing a generator ----------

/** First match wins, so specific wordings come before broad ones ("giá cước … tuyến cố định" is a route list). */
function chooseGenerator(title: string, topicName: string): Generator {
  const indicatorSet = indicatorSets.find((set) => has(title, ...set.words));
  if (indicatorSet) return indicatorTable(indicatorSet.indicators);
  const itemised = itemisedSets.find((set) => has(title, ...set.words));
  if (itemised && !mentionsPrice(title) && !has(title, 'cơ sở', 'giấy chứng nhận')) return itemisedTable(itemised);
  if (has(title, 'đầu sách')) return fallback;
  if (has(title, 'dân số')) return population;
  if (has(title, 'hộ nghèo')) return poorHouseholds;
  if (has(title, 'lịch các chương trình')) return events;
  if (has(title, 'xe buýt')) return busRoutes;
  if (has(title, 'tuyến cố định')) return coachRoutes;
  if (has(title, 'giá đất')) return landPrices;
  if (has(title, 'lãi suất')) return interestRates;
  if (has(title, 'chất lượng môi trường')) return monitoring;
  if (mentionsPrice(title) && !has(title, 'trông giữ')) return prices;
  if (has(title, 'các trường', 'nhà trẻ', 'cơ sở giáo dục', 'trung tâm đào tạo')) return schools;
  if (topicName === 'Y tế, Sức khỏe' && has(title, 'cơ sở', 'phòng kiểm nghiệm')) return healthFacilities;
  if (has(title, 'lưu trú')) return lodging;
  if (has(title, 'địa điểm du lịch', 'di tích', 'danh lam')) return tourism;
  if (has(title, 'giấy phép', 'giấy chứng nhận', 'quyết định phê duyệt')) return licences;
  const organisationWords = ['doanh nghiệp', 'hợp tác xã', 'công ty', 'hãng taxi', 'các tổ chức', 'tổ chức hành nghề', 'tổ chức thực hiện', 'tổ chức đấu giá'];
  if (has(title, ...organisationWords, 'nhà xuất bản', 'cơ quan báo chí', 'đại lý', 'các hội', 'quỹ')) {
    return organisations;
  }
  if (facilityKinds.some((kind) => has(title, ...kind.words))) return facilities;
  return fallback;
}

/** Same entry in, byte-identical CSV out: the generator is seeded by the entry number and title. */
export function generateDemoTable(entry: DemoTableEntry): DemoTable {
  const title = entry.title.normalize('NFC').toLowerCase();
  const rng = rngFor(`demo-table:${entry.number}:${title}`);
  const table = chooseGenerator(title, entry.topicName)(rng, title, entry.title.normalize('NFC'));
  const csv = Papa.unparse({ fields: table.columns, data: table.rows }, { escapeFormulae: true, newline: '\r\n' });
  return { fileName: `${slugify(entry.title, 60)}.csv`, csv, rowCount: table.rows.length, columns: table.columns };
}
