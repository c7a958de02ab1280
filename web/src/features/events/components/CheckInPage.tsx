import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { Alert } from '../../../components/Alert';
import { Button } from '../../../components/Button';
import { ErrorMessage } from '../../../components/ErrorMessage';
import { SelectField } from '../../../components/Field';
import { Loader } from '../../../components/Loader';
import { PageHeading } from '../../../components/PageHeading';
import { formatSession, getEvent, listAttendance, listRegistrations, recordAttendance, useLoad } from '../api/events';
import { useEventsTranslation } from '../i18n';
import '../events.css';

/** `/events/:id/check-in`: a tablet-friendly list per session; each tap is saved at once. */
export function CheckInPage() {
  const tr = useEventsTranslation();
  const { tc, language } = tr;
  const { id = '' } = useParams();
  const [attempt, setAttempt] = useState(0);
  const data = useLoad(`checkin:${id}:${attempt}`, async (signal) => {
    const [event, regs, attendance] = await Promise.all([getEvent(id, signal), listRegistrations(id, signal), listAttendance(id, signal)]);
    return { event, regs, attendance };
  });
  const [session, setSession] = useState('');
  const [error, setError] = useState<unknown>(null);

  if (tr.failed) return <ErrorMessage error={new Error('locale')} />;
  if (!tr.ready || data.status === 'loading') return <Loader />;
  if (data.status === 'error') return <ErrorMessage error={data.error} />;
  const { event, regs, attendance } = data.data;
  const sid = session || event.sessions[0]?.id || '';
  const present = regs.filter((r) => ['confirmed', 'attended', 'no_show'].includes(r.status));
  const mark = (rid: string) => attendance.find((a) => a.registration_id === rid && a.session_id === sid)?.status;
  const set = (rid: string, status: string) =>
    recordAttendance(id, sid, [{ registration_id: rid, status }]).then(() => {
      setError(null);
      setAttempt((n) => n + 1);
    }, setError);
  const title = tc('checkIn.title');
  return (
    <section className="fd-page" data-testid="page-check-in">
      <PageHeading title={title} lead={event.title}>
        {title}
      </PageHeading>
      <p>
        <Link className="kern-link" to={`/events/${encodeURIComponent(id)}`}>
          {tc('checkIn.back')}
        </Link>
      </p>
      <SelectField id="checkin-session" label={tc('checkIn.session')} value={sid} onChange={(e) => setSession(e.target.value)}>
        {event.sessions.map((s) => (
          <option key={s.id} value={s.id}>
            {formatSession(s, language)}
          </option>
        ))}
      </SelectField>
      {error ? <ErrorMessage error={error} /> : null}
      <Alert tone="info" role="status" title={tc('checkIn.summary', { present: present.filter((r) => mark(r.id) === 'attended').length, total: present.length })} />
      <ul className="fd-ev-checkin" data-testid="check-in-list">
        {present.map((r) => {
          const m = mark(r.id);
          const name = r.name ?? r.client_code ?? tc('organiser.anonymised');
          return (
            <li key={r.id} data-testid="check-in-row">
              <span>{name}</span>
              <span className="fd-ev-actions">
                <Button variant={m === 'attended' ? 'primary' : 'secondary'} aria-pressed={m === 'attended'} aria-label={tc('checkIn.presentFor', { name })} onClick={() => set(r.id, 'attended')}>
                  {tc('checkIn.present')}
                </Button>
                <Button variant={m === 'no_show' ? 'primary' : 'secondary'} aria-pressed={m === 'no_show'} aria-label={tc('checkIn.absentFor', { name })} onClick={() => set(r.id, 'no_show')}>
                  {tc('checkIn.absent')}
                </Button>
              </span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
