/**
 * What a fresh portal says about itself. DOIT changes these in the back office without a release;
 * the defaults are the Bình Định demo and the rules of the seeds (782/QĐ-UBND, Decree 47/2020/NĐ-CP).
 */
export const siteSettingDefaults = {
  provinceName: 'Bình Định',
  portalTitleVi: 'Cổng dữ liệu mở tỉnh Bình Định',
  portalTitleEn: 'Bình Định Open Data Portal',
  taglineVi: 'Dữ liệu mở của các cơ quan nhà nước trên địa bàn tỉnh, miễn phí cho mọi người dân và doanh nghiệp.',
  taglineEn: 'Open data from the state agencies of the province, free for every citizen and business.',
  operatorNameVi: 'Sở Thông tin và Truyền thông tỉnh Bình Định',
  operatorNameEn: 'Department of Information and Communications of Bình Định',
  operatorEmail: 'stttt@binhdinh.gov.vn',
  operatorPhone: '0256 3812 345',
  operatorAddress: '02 Trần Phú, phường Lê Hồng Phong, thành phố Quy Nhơn, tỉnh Bình Định',
  logoPath: '/public/img/logo.svg',
  legalBasisVi: 'Nghị định 47/2020/NĐ-CP về quản lý, kết nối và chia sẻ dữ liệu số của cơ quan nhà nước',
  legalBasisEn: 'Decree 47/2020/NĐ-CP on the management, connection and sharing of digital data of state agencies',
  termsOfUseVi:
    'Dữ liệu trên Cổng được cung cấp miễn phí. Tổ chức, cá nhân khai thác, sử dụng dữ liệu mở phải trích dẫn nguồn là Cổng dữ liệu mở của tỉnh; không được mua bán, trao đổi dữ liệu thô; không được làm sai lệch dữ liệu hoặc sử dụng vào mục đích trái pháp luật.',
  termsOfUseEn:
    'Data on this portal are free of charge. Anyone who uses open data must cite the provincial open data portal as the source, must not sell or trade the raw data, and must not distort the data or use it unlawfully.',
  /** How users cite the portal (782 Art. 10.2). Placeholders: {agency} {title} {portal} {url} {date}. */
  citationTemplateVi: '{agency}. {title}. {portal}. {url} (truy cập ngày {date}).',
  citationTemplateEn: '{agency}. {title}. {portal}. {url} (accessed {date}).',
  /** 782 Art. 5.2: one officer and one leader account per agency. DOIT may switch it off to allow more. */
  onePerAgencyRule: true,
  /** 782 Art. 9.2: an agency publishes its answer to feedback no later than this many days after receiving it. */
  feedbackDeadlineDays: 10,
  /** Count the feedback deadline in working days (skipping weekends and the holidays below) instead of calendar days. */
  feedbackWorkingDays: false,
  /** Public holidays skipped when counting working days (YYYY-MM-DD, separated by commas). DOIT updates the list each year. */
  publicHolidays: '2026-01-01, 2026-02-16, 2026-02-17, 2026-02-18, 2026-02-19, 2026-02-20, 2026-04-27, 2026-04-30, 2026-05-01, 2026-09-01, 2026-09-02',
  /** Widest table an officer may upload (columns of the header): every row costs work per column (issue 10). */
  maxTableColumns: 1000,
  /**
   * Update windows in days from the first day of each period (782 Art. 8.4 sets 15 for a quarter; the
   * others are proposals DOIT confirms). "When it changes" has no deadline.
   */
  graceDaysWeekly: 3,
  graceDaysMonthly: 10,
  graceDaysQuarterly: 15,
  graceDaysHalfYearly: 30,
  graceDaysYearly: 60,
  /** Officers are reminded this many days before an update falls due (and again on the due day). */
  deadlineReminderDays: 7,
  /** Search counts matches and facets exactly up to this many; above it both are estimated (bounded time). */
  searchExactCountLimit: 1_000,
} as const;

type Widen<T> = T extends number ? number : T extends boolean ? boolean : string;
export type SiteSettings = { -readonly [K in keyof typeof siteSettingDefaults]: Widen<(typeof siteSettingDefaults)[K]> };
export type SiteSettingKey = keyof SiteSettings;
