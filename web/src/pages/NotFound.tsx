import { Link } from 'react-router-dom';
import { Button, Result } from 'antd';
import { useI18n } from '../lib/i18n.tsx';

export default function NotFound() {
  const { t } = useI18n();
  return (
    <Result
      status="404"
      title={t('common.notFound')}
      subTitle={t('common.notFoundSub')}
      extra={
        <Link to="/">
          <Button type="primary">{t('common.backHome')}</Button>
        </Link>
      }
    />
  );
}
