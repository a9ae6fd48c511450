import { Button, List } from 'antd-mobile';
import { useNavigate } from 'react-router';
import { useI18n } from '../i18n.ts';
import { PageBar } from '../layout.tsx';
import { useMe } from '../session.tsx';

/** Who I am, language, and the pages that are not tabs. */
export function MorePage() {
  const { t, lang, setLang } = useI18n();
  const { me, signOut } = useMe();
  const navigate = useNavigate();
  return (
    <div>
      <PageBar title={t('tab.more')} back={false} />
      <List header={`${me.name}（${me.code}）`}>
        <List.Item description={me.warehouses.map((w) => w.name).join('、')}>{me.roles.join(', ')}</List.Item>
        {me.seesCost && (
          <List.Item onClick={() => navigate('/dashboard')} arrowIcon>
            {t('home.dashboard')}
          </List.Item>
        )}
        {/* Admins set everything up; warehouse managers and purchasers may add items there too. */}
        {me.roles.some((r) => ['admin', 'warehouse_manager', 'purchaser'].includes(r)) && (
          <List.Item onClick={() => navigate('/admin')} arrowIcon>
            {t('adm.title')}
          </List.Item>
        )}
        <List.Item onClick={() => setLang(lang === 'en' ? 'zh-CN' : 'en')} arrowIcon>
          {t('lang.switch')}
        </List.Item>
      </List>
      <div style={{ padding: 12 }}>
        <Button block onClick={signOut}>
          {t('signOut')}
        </Button>
      </div>
    </div>
  );
}
