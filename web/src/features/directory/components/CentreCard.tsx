import { useTranslation } from 'react-i18next';
import { formatDays, languageName } from '../../../lib/format';
import type { Centre } from '../api/get-centres';

function websiteLabel(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}`;
  } catch {
    return url;
  }
}

function isHttpUrl(url: string): boolean {
  return /^https?:\/\//i.test(url);
}

export function CentreCard({ centre }: { centre: Centre }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const headingId = `centre-${centre.id}`;

  return (
    <article className="kern-card fd-centre" aria-labelledby={headingId} data-testid="centre">
      <div className="kern-card__container">
        <div className="kern-card__header">
          <h3 className="kern-title" id={headingId}>
            {centre.name}
          </h3>
          <p className="kern-subline">{t('directory.provider', { provider: centre.provider })}</p>
          {centre.demo ? (
            <span className="kern-badge kern-badge--warning fd-centre__badge">
              <span className="kern-label">{t('directory.demo')}</span>
            </span>
          ) : null}
        </div>
        <div className="kern-card__body">
          <dl className="kern-description-list kern-description-list--col">
            <div className="kern-description-list-item">
              <dt className="kern-description-list-item__key">{t('directory.address')}</dt>
              <dd className="kern-description-list-item__value">
                <address className="fd-address">
                  {centre.address.street}
                  <br />
                  {centre.address.postcode} {centre.address.city}
                </address>
              </dd>
            </div>
            <div className="kern-description-list-item">
              <dt className="kern-description-list-item__key">{t('directory.languages')}</dt>
              <dd className="kern-description-list-item__value">
                <ul className="fd-inline-list">
                  {centre.languages.map((code) => (
                    <li key={code} lang={code}>
                      <span lang={lang}>{languageName(code, lang)}</span>
                    </li>
                  ))}
                </ul>
              </dd>
            </div>
            <div className="kern-description-list-item">
              <dt className="kern-description-list-item__key">{t('directory.channels')}</dt>
              <dd className="kern-description-list-item__value">
                <ul className="fd-inline-list">
                  {centre.channels.map((channel) => (
                    <li key={channel}>{t(`directory.channel.${channel}`, { defaultValue: channel })}</li>
                  ))}
                </ul>
              </dd>
            </div>
            {centre.opening_hours.length ? (
              <div className="kern-description-list-item">
                <dt className="kern-description-list-item__key">{t('directory.openingHours')}</dt>
                <dd className="kern-description-list-item__value">
                  <ul className="fd-plain-list">
                    {centre.opening_hours.map((hours, index) => (
                      <li key={index}>
                        {t('directory.hours', { days: formatDays(hours.days, lang), from: hours.from, to: hours.to })}
                      </li>
                    ))}
                  </ul>
                </dd>
              </div>
            ) : null}
            <div className="kern-description-list-item">
              <dt className="kern-description-list-item__key">{t('directory.contact')}</dt>
              <dd className="kern-description-list-item__value">
                <ul className="fd-plain-list">
                  {centre.phone ? (
                    <li>
                      <span className="kern-sr-only">{t('directory.phone')}: </span>
                      <a className="kern-link" href={`tel:${centre.phone.replace(/[^\d+]/g, '')}`}>
                        {centre.phone}
                      </a>
                    </li>
                  ) : null}
                  {centre.email ? (
                    <li>
                      <span className="kern-sr-only">{t('directory.email')}: </span>
                      <a className="kern-link" href={`mailto:${centre.email}`}>
                        {centre.email}
                      </a>
                    </li>
                  ) : null}
                  {centre.website && isHttpUrl(centre.website) ? (
                    <li>
                      <span className="kern-sr-only">{t('directory.website')}: </span>
                      <a className="kern-link" href={centre.website} rel="noopener noreferrer" target="_blank">
                        {websiteLabel(centre.website)}
                        <span className="kern-sr-only"> {t('common.opensInNewWindow')}</span>
                      </a>
                    </li>
                  ) : null}
                </ul>
              </dd>
            </div>
          </dl>
        </div>
      </div>
    </article>
  );
}
