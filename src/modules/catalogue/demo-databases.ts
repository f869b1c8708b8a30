import type { Queryable } from '../../db/client.ts';
import { findDatasetsByCatalogueNumber, insertDatabase, replaceCategories } from './databases.repository.ts';
import type { SharingClass } from './databases.table.ts';

interface DemoDatabase {
  name: string;
  owner: string;
  purpose: string;
  scope: string;
  content: string;
  collection: string;
  /** [category, sharing class, number of the catalogue entry whose dataset publishes it] */
  categories: Array<[string, SharingClass, number?]>;
}

/** A few of the databases a province like Bình Định runs, as DOIT would record them. */
export const demoDatabases: DemoDatabase[] = [
  {
    name: 'Cơ sở dữ liệu ngành Giáo dục và Đào tạo tỉnh',
    owner: 'Sở Giáo dục và Đào tạo',
    purpose: 'Quản lý thông tin trường, lớp, học sinh, đội ngũ nhà giáo phục vụ điều hành và thống kê ngành.',
    scope: 'Các cơ sở giáo dục mầm non, phổ thông, giáo dục thường xuyên trên địa bàn tỉnh, từ năm học 2018–2019.',
    content: 'Danh sách trường và điểm trường; lớp học; hồ sơ học sinh; hồ sơ cán bộ, giáo viên; kết quả học tập; cơ sở vật chất.',
    collection: 'Các trường nhập trên phần mềm quản lý của ngành; Sở tổng hợp đầu năm học và cuối mỗi học kỳ.',
    categories: [
      ['Danh sách trường mẫu giáo', 'open', 4],
      ['Danh sách trường tiểu học', 'open', 5],
      ['Danh sách trường trung học cơ sở', 'open', 6],
      ['Hồ sơ cán bộ, giáo viên', 'shared'],
      ['Hồ sơ và kết quả học tập của học sinh', 'on_request'],
    ],
  },
  {
    name: 'Cơ sở dữ liệu giao thông vận tải',
    owner: 'Sở Giao thông vận tải',
    purpose: 'Quản lý kết cấu hạ tầng giao thông, vận tải hành khách công cộng và phương tiện, người lái.',
    scope: 'Mạng lưới đường tỉnh, đường đô thị, tuyến xe buýt và bến xe trên địa bàn tỉnh.',
    content: 'Tuyến xe buýt, lộ trình và giá vé; vị trí camera giám sát; đăng ký phương tiện; giấy phép lái xe.',
    collection: 'Đơn vị vận tải báo cáo khi thay đổi tuyến; hệ thống camera cập nhật tự động; dữ liệu đăng ký từ phần mềm cấp phép.',
    categories: [
      ['Mạng lưới tuyến, biểu đồ chạy xe và giá vé xe buýt', 'open', 33],
      ['Vị trí camera giám sát giao thông', 'open', 35],
      ['Đăng ký phương tiện cơ giới', 'shared'],
      ['Giấy phép lái xe của cá nhân', 'on_request'],
    ],
  },
  {
    name: 'Cơ sở dữ liệu doanh nghiệp tỉnh',
    owner: 'Sở Kế hoạch và Đầu tư',
    purpose: 'Theo dõi tình hình đăng ký, hoạt động của doanh nghiệp và dự án đầu tư trên địa bàn.',
    scope: 'Doanh nghiệp, chi nhánh, địa điểm kinh doanh có trụ sở trên địa bàn tỉnh.',
    content: 'Thông tin đăng ký doanh nghiệp; tình trạng hoạt động; người đại diện theo pháp luật; báo cáo tài chính.',
    collection: 'Đồng bộ hằng ngày từ Hệ thống thông tin quốc gia về đăng ký doanh nghiệp.',
    categories: [
      ['Danh sách doanh nghiệp đăng ký mới, tạm ngưng, giải thể', 'open', 59],
      ['Người đại diện theo pháp luật', 'shared'],
      ['Báo cáo tài chính doanh nghiệp', 'on_request'],
    ],
  },
  {
    name: 'Cơ sở dữ liệu tài nguyên và môi trường',
    owner: 'Sở Tài nguyên và Môi trường',
    purpose: 'Quản lý đất đai, tài nguyên nước, khoáng sản và quan trắc chất lượng môi trường.',
    scope: 'Toàn tỉnh; số liệu quan trắc từ năm 2015.',
    content: 'Chất lượng môi trường không khí, đất, nước; giấy phép khai thác khoáng sản; hồ sơ địa chính.',
    collection: 'Trạm quan trắc tự động gửi số liệu mỗi giờ; giấy phép cập nhật khi cấp; hồ sơ địa chính từ Văn phòng đăng ký đất đai.',
    categories: [
      ['Chất lượng môi trường không khí', 'open', 68],
      ['Chất lượng môi trường đất', 'open', 67],
      ['Số liệu quan trắc tự động', 'shared'],
      ['Hồ sơ địa chính, quyền sử dụng đất', 'on_request'],
    ],
  },
];

/** Writes the demo databases; open categories link to the datasets of their catalogue entries. */
export async function insertDemoDatabases(tx: Queryable, agencyIdByName: Map<string, string>): Promise<number> {
  const numbers = demoDatabases.flatMap((database) => database.categories.flatMap(([, , number]) => (number ? [number] : [])));
  const datasetOf = await findDatasetsByCatalogueNumber(tx, numbers);
  for (const { owner, categories, ...fields } of demoDatabases) {
    const ownerAgencyId = agencyIdByName.get(owner);
    if (!ownerAgencyId) throw new Error(`demo database owner "${owner}" is not a demo agency`);
    const database = await insertDatabase(tx, { ...fields, ownerAgencyId });
    await replaceCategories(
      tx,
      database.id,
      categories.map(([name, sharingClass, number], position) => ({ position, name, sharingClass, datasetId: number ? (datasetOf.get(number) ?? null) : null })),
    );
  }
  return demoDatabases.length;
}
