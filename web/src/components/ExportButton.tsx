// Download buttons for the server's streamed exports: a list or ranking as .xlsx / .csv (same filters
// as on screen; personal data masked by the server), and the monthly bulletin (通报) in Word.
// GET requests with the session cookie: the browser streams the file straight to disk.
import { Button, Dropdown } from 'antd';
import { DownloadOutlined, FileWordOutlined } from '@ant-design/icons';
import { buildQuery } from '../lib/api.ts';
import { useI18n } from '../lib/i18n.tsx';

type Query = Record<string, string | number | boolean | null | undefined>;

/** The filters of GET /api/v1/appeals found in a page's URL (the export refuses anything else). */
const APPEAL_FILTERS = ['status', 'unitId', 'categoryId', 'type', 'urgency', 'overdue', 'q', 'phone', 'createdFrom', 'createdTo', 'view', 'sort'];
export function appealExportQuery(params: URLSearchParams): Query {
  return Object.fromEntries(APPEAL_FILTERS.filter((k) => params.get(k)).map((k) => [k, params.get(k)!]));
}

function go(path: string, query: Query) {
  const a = document.createElement('a');
  a.href = path + buildQuery(query);
  a.rel = 'noopener';
  a.download = '';
  document.body.appendChild(a);
  a.click();
  a.remove();
}

/** Export of a list endpoint (e.g. /api/v1/appeals/export) with the current filters. */
export function ExportButton({ path, query = {}, size }: { path: string; query?: Query; size?: 'small' | 'middle' }) {
  const { lang } = useI18n();
  const zh = lang === 'zh';
  return (
    <Dropdown
      menu={{
        items: [
          { key: 'xlsx', label: zh ? '导出 Excel(.xlsx)' : 'Excel (.xlsx)' },
          { key: 'csv', label: zh ? '导出 CSV' : 'CSV' },
        ],
        onClick: ({ key }) => go(path, { ...query, format: key }),
      }}
    >
      <Button icon={<DownloadOutlined />} size={size} data-testid="export-button">
        {zh ? '导出' : 'Export'}
      </Button>
    </Dropdown>
  );
}

/** The monthly bulletin of the user's scope (or of `unitId`) for a month such as 2026-10. */
export function ReportButton({ period, unitId, size }: { period: string; unitId?: string; size?: 'small' | 'middle' }) {
  const { lang } = useI18n();
  const zh = lang === 'zh';
  return (
    <Dropdown
      menu={{
        items: [
          { key: 'docx', label: zh ? '通报(Word)' : 'Bulletin (Word)' },
          { key: 'xlsx', label: zh ? '完整数据表(Excel)' : 'Full tables (Excel)' },
        ],
        onClick: ({ key }) => go('/api/v1/reports/monthly', { period, unitId, format: key }),
      }}
    >
      <Button icon={<FileWordOutlined />} size={size} data-testid="report-button">
        {zh ? `${period} 月度通报` : `Bulletin ${period}`}
      </Button>
    </Dropdown>
  );
}
