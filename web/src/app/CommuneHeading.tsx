import { useQuery } from '@tanstack/react-query';
import { useI18n } from '../i18n/I18nProvider.tsx';
import { useShellWords } from '../i18n/shell.ts';
import { hubApi } from '../lib/http.ts';

/**
 * The commune the hub serves and its province, under the title ("Xã Hoàng Kim, Hà Tĩnh"). The current
 * commune is the one not merged into another; former communes keep their record for history only.
 */
export function CommuneHeading() {
  const { t } = useI18n();
  const w = useShellWords();
  const { data } = useQuery({
    queryKey: ['communes'],
    queryFn: ({ signal }) => hubApi.communeList({}, { signal }),
    staleTime: 5 * 60_000,
  });
  const commune = data?.find((c) => c.mergedInto === null) ?? data?.[0];
  return (
    <p className="subtitle" data-testid="commune-name">
      {commune ? w.home.commune(commune.name, commune.province) : t.appSubtitle}
    </p>
  );
}
