import { Button } from 'antd';
import { GlobalOutlined } from '@ant-design/icons';
import { useI18n } from '../lib/i18n.tsx';

export function LangSwitch({ dark }: { dark?: boolean }) {
  const { lang, setLang, t } = useI18n();
  return (
    <Button
      type="text"
      size="small"
      className={dark ? 'lang-switch lang-switch-dark' : 'lang-switch'}
      icon={<GlobalOutlined />}
      aria-label={t('common.languageAria')}
      onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}
      data-testid="lang-switch"
    >
      {t('common.language')}
    </Button>
  );
}
