/**
 * Vocabulary for realistic Bình Định demo data: the 11 district-level units (before the 2025 provincial
 * merger), a few real wards and communes each, approximate centres and 2019-census-sized populations.
 * Coordinates are rounded centres for placing demo points, not survey data.
 */
export type District = {
  slug: string;
  /** As written in tables: "Quy Nhơn", "Tuy Phước". */
  name: string;
  /** "thành phố" | "thị xã" | "huyện" */
  unit: string;
  lat: number;
  lon: number;
  /** Rough radius in degrees for scattering demo points around the centre. */
  spread: number;
  /** Approximate population (2019 census), to scale demo counts. */
  population: number;
  /** Approximate natural area in km². */
  areaKm2: number;
  /** Real wards (phường), towns (thị trấn) and communes (xã), with their unit word. */
  communes: readonly string[];
};

export const districts: readonly District[] = [
  {
    slug: 'quy-nhon',
    name: 'Quy Nhơn',
    unit: 'thành phố',
    lat: 13.776,
    lon: 109.212,
    spread: 0.025,
    population: 290_000,
    areaKm2: 286,
    communes: [
      'phường Lý Thường Kiệt',
      'phường Trần Hưng Đạo',
      'phường Lê Lợi',
      'phường Ngô Mây',
      'phường Quang Trung',
      'phường Ghềnh Ráng',
      'phường Nhơn Bình',
      'phường Nhơn Phú',
      'phường Đống Đa',
      'phường Thị Nại',
      'xã Nhơn Lý',
      'xã Nhơn Hội',
    ],
  },
  {
    slug: 'an-nhon',
    name: 'An Nhơn',
    unit: 'thị xã',
    lat: 13.887,
    lon: 109.11,
    spread: 0.04,
    population: 178_000,
    areaKm2: 245,
    communes: [
      'phường Bình Định',
      'phường Đập Đá',
      'phường Nhơn Hưng',
      'phường Nhơn Thành',
      'phường Nhơn Hòa',
      'xã Nhơn Lộc',
      'xã Nhơn Phong',
      'xã Nhơn Mỹ',
    ],
  },
  {
    slug: 'hoai-nhon',
    name: 'Hoài Nhơn',
    unit: 'thị xã',
    lat: 14.43,
    lon: 109.02,
    spread: 0.05,
    population: 207_000,
    areaKm2: 413,
    communes: [
      'phường Bồng Sơn',
      'phường Tam Quan',
      'phường Tam Quan Bắc',
      'phường Hoài Thanh',
      'phường Hoài Hương',
      'phường Hoài Đức',
      'xã Hoài Sơn',
      'xã Hoài Châu',
    ],
  },
  {
    slug: 'tuy-phuoc',
    name: 'Tuy Phước',
    unit: 'huyện',
    lat: 13.826,
    lon: 109.163,
    spread: 0.04,
    population: 180_000,
    areaKm2: 219,
    communes: [
      'thị trấn Tuy Phước',
      'thị trấn Diêu Trì',
      'xã Phước Sơn',
      'xã Phước Hòa',
      'xã Phước Thuận',
      'xã Phước Lộc',
      'xã Phước Hiệp',
      'xã Phước An',
    ],
  },
  {
    slug: 'phu-cat',
    name: 'Phù Cát',
    unit: 'huyện',
    lat: 14.0,
    lon: 109.05,
    spread: 0.06,
    population: 190_000,
    areaKm2: 680,
    communes: ['thị trấn Ngô Mây', 'xã Cát Hanh', 'xã Cát Tiến', 'xã Cát Khánh', 'xã Cát Hải', 'xã Cát Trinh', 'xã Cát Tân'],
  },
  {
    slug: 'phu-my',
    name: 'Phù Mỹ',
    unit: 'huyện',
    lat: 14.17,
    lon: 109.05,
    spread: 0.06,
    population: 170_000,
    areaKm2: 549,
    communes: ['thị trấn Phù Mỹ', 'thị trấn Bình Dương', 'xã Mỹ Chánh', 'xã Mỹ Thắng', 'xã Mỹ An', 'xã Mỹ Hiệp', 'xã Mỹ Đức'],
  },
  {
    slug: 'hoai-an',
    name: 'Hoài Ân',
    unit: 'huyện',
    lat: 14.35,
    lon: 108.9,
    spread: 0.06,
    population: 85_000,
    areaKm2: 751,
    communes: ['thị trấn Tăng Bạt Hổ', 'xã Ân Hảo Đông', 'xã Ân Tín', 'xã Ân Thạnh', 'xã Ân Đức', 'xã Ân Nghĩa'],
  },
  {
    slug: 'an-lao',
    name: 'An Lão',
    unit: 'huyện',
    lat: 14.58,
    lon: 108.89,
    spread: 0.06,
    population: 28_000,
    areaKm2: 697,
    communes: ['thị trấn An Lão', 'xã An Hòa', 'xã An Tân', 'xã An Trung', 'xã An Vinh', 'xã An Toàn'],
  },
  {
    slug: 'vinh-thanh',
    name: 'Vĩnh Thạnh',
    unit: 'huyện',
    lat: 14.14,
    lon: 108.78,
    spread: 0.06,
    population: 31_000,
    areaKm2: 718,
    communes: ['thị trấn Vĩnh Thạnh', 'xã Vĩnh Quang', 'xã Vĩnh Hảo', 'xã Vĩnh Hiệp', 'xã Vĩnh Kim', 'xã Vĩnh Sơn'],
  },
  {
    slug: 'tay-son',
    name: 'Tây Sơn',
    unit: 'huyện',
    lat: 13.92,
    lon: 108.92,
    spread: 0.06,
    population: 120_000,
    areaKm2: 690,
    communes: ['thị trấn Phú Phong', 'xã Bình Tường', 'xã Tây Giang', 'xã Tây Vinh', 'xã Bình Thành', 'xã Tây Xuân', 'xã Vĩnh An'],
  },
  {
    slug: 'van-canh',
    name: 'Vân Canh',
    unit: 'huyện',
    lat: 13.62,
    lon: 108.998,
    spread: 0.05,
    population: 27_000,
    areaKm2: 800,
    communes: ['thị trấn Vân Canh', 'xã Canh Vinh', 'xã Canh Hiển', 'xã Canh Thuận', 'xã Canh Hiệp', 'xã Canh Liên'],
  },
];

/** "thành phố Quy Nhơn", "huyện Tây Sơn". */
export function districtFullName(district: District): string {
  return `${district.unit} ${district.name}`;
}

/** Streets found in Quy Nhơn and the district towns. */
export const streetNames = [
  'Trần Hưng Đạo', 'Nguyễn Huệ', 'Lê Lợi', 'Quang Trung', 'Lê Hồng Phong', 'Nguyễn Tất Thành', 'Hai Bà Trưng',
  'Phạm Hùng', 'Ngô Mây', 'Tây Sơn', 'An Dương Vương', 'Hùng Vương', 'Xuân Diệu', 'Nguyễn Thái Học', 'Lý Thường Kiệt',
  'Bạch Đằng', 'Trần Phú', 'Võ Thị Sáu', 'Đống Đa', 'Nguyễn Lữ', 'Nguyễn Nhạc', 'Chương Dương', 'Phan Bội Châu',
  'Điện Biên Phủ', 'Hoàng Văn Thụ', 'Lạc Long Quân', 'Quốc lộ 1A', 'Quốc lộ 19', 'Đào Tấn', 'Mai Xuân Thưởng',
] as const;

/** Words for naming demo organisations (shops, firms, hotels) — never people. */
export const businessWords = [
  'Phú Tài', 'Hưng Thịnh', 'Tân Phát', 'Bình Minh', 'Thành Công', 'Quy Nhơn Xanh', 'Hoàng Phát', 'Nam Trung Bộ',
  'Đất Võ', 'Sông Côn', 'Thị Nại', 'Ghềnh Ráng', 'Phương Mai', 'Trường Thịnh', 'An Phú', 'Vạn Lợi', 'Hải Âu',
  'Bàu Sen', 'Hòn Khô', 'Kỳ Co', 'Eo Gió', 'Tháp Đôi', 'Tây Sơn', 'Hầm Hô', 'Miền Trung',
] as const;
