// The relevance set: queries as citizens type them (with and without diacritics) against the demo
// catalogue, the datasets that must come first (catalogue numbers, any order among them) and how many
// results are acceptable at most. Used by relevance.test.ts and printed by bench/discovery.ts.
export interface RelevanceCase {
  query: string;
  first: number[];
  atMost: number;
}

export const relevanceCases: RelevanceCase[] = [
  { query: 'dan so', first: [128], atMost: 9 },
  { query: 'dân số', first: [128], atMost: 9 },
  { query: 'giáo viên', first: [1], atMost: 15 },
  { query: 'hoc sinh', first: [2], atMost: 15 },
  { query: 'giao duc', first: [9, 10], atMost: 20 },
  { query: 'thuê bao di động', first: [14, 19], atMost: 4 },
  { query: 'thue bao di dong', first: [14, 19], atMost: 4 },
  { query: 'giá đất', first: [103, 106], atMost: 4 },
  { query: 'gia dat', first: [103, 106], atMost: 4 },
  { query: 'xe buýt', first: [33], atMost: 3 },
  { query: 'xe buyt', first: [33], atMost: 3 },
  { query: 'luật sư', first: [135], atMost: 3 },
  { query: 'ho ngheo', first: [131], atMost: 3 },
  { query: 'khoáng sản', first: [69, 70], atMost: 5 },
  { query: 'di tich lich su', first: [119], atMost: 3 },
  { query: 'bảo hiểm xã hội', first: [136, 137], atMost: 6 },
  { query: 'bao hiem that nghiep', first: [136, 138], atMost: 6 },
  { query: 'siêu thị', first: [56], atMost: 3 },
  { query: 'cao toc', first: [38], atMost: 3 },
  { query: 'taxi', first: [47], atMost: 3 },
  { query: 'camera giao thông', first: [35], atMost: 3 },
  { query: 'lai suat', first: [102], atMost: 3 },
  { query: 'ngân sách', first: [104, 105], atMost: 5 },
  { query: 'rung phong ho', first: [94], atMost: 3 },
  { query: 'tau ca', first: [162], atMost: 3 },
  { query: 'PCPNN', first: [156, 157], atMost: 4 },
  { query: 'cong chung', first: [132], atMost: 3 },
  { query: 'nhà trẻ', first: [3], atMost: 3 },
  { query: 'thu vien', first: [8, 13], atMost: 4 },
  { query: 'gia thuoc', first: [152], atMost: 3 },
  { query: 'tiêm chủng', first: [154], atMost: 3 },
  { query: 'chan nuoi', first: [83, 84, 85, 86, 87, 88, 89], atMost: 10 },
  { query: 'Wi-Fi', first: [18], atMost: 3 },
  { query: 'buu chinh', first: [27, 28], atMost: 4 },
  { query: 'hợp tác xã', first: [60, 61], atMost: 4 },
  { query: 'lu hanh', first: [115, 117], atMost: 4 },
  { query: 'bao tang', first: [122], atMost: 4 },
  { query: 'vat lieu xay dung', first: [141], atMost: 3 },
  { query: 'đường sắt', first: [37], atMost: 3 },
  { query: 'giấy phép lái xe', first: [44], atMost: 3 },
  { query: 'ho chieu', first: [159], atMost: 3 },
  { query: 'moi truong khong khi', first: [68], atMost: 4 },
  { query: 'rừng', first: [94, 95, 96, 97], atMost: 6 },
];

/** Of the expected datasets (at most five), the share found among the first five results. */
export function precisionAt5(expected: number[], found: number[]): number {
  const wanted = expected.slice(0, 5);
  return wanted.filter((number) => found.slice(0, 5).includes(number)).length / wanted.length;
}
