import { useCallback, useId, useState } from 'react';
import { useSearchParams } from 'react-router';
import { Alert } from '../../../components/Alert';
import { Button } from '../../../components/Button';
import { ErrorMessage } from '../../../components/ErrorMessage';
import { SelectField, TextField } from '../../../components/Field';
import { Loaded } from '../../../components/Loaded';
import { PageHeading } from '../../../components/PageHeading';
import { ApiError } from '../../../lib/api';
import {
  createSignVideo,
  deleteSignVideo,
  listSignVideos,
  PORTAL_LANGUAGES,
  putSignVideoFile,
  readSignVideo,
  SIGN_VIDEO_PAGES,
  SIGN_VIDEO_TYPES,
  updateSignVideo,
  useLoad,
  type SignVideo,
  type SignVideoBody,
} from '../api/admin';
import { useForm, type Errors } from '../form';
import { useAdminTranslation, type AdminTranslation } from '../i18n';
import { AdminTable } from './AdminTable';
import { TextArea } from './TextArea';
import { OtherErrors } from './OtherErrors';

/** The portal address of a slot's page in a language. */
const portalPath = (page: string, lang: string) => (page === 'home' ? `/${lang}/` : `/${lang}/${page}`);
const megabytes = (bytes: number, language: string) =>
  `${(Math.max(bytes, 104858) / 1048576).toLocaleString(language, { minimumFractionDigits: 1, maximumFractionDigits: 1 })} MB`;
const fileType = (type: string | null) => (type === 'video/webm' ? 'WebM' : 'MP4');
const duration = (seconds: number) => `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')} min`;

/**
 * `/admin/sign-videos` (admins): the public portal's videos in German Sign Language (BITV 2.0
 * § 4), per slot (the home page of every language and the Leichte Sprache page; the accessibility
 * statement of every language). An admin adds a video as a file (MP4 or WebM, checked by content
 * on the server) or a link, replaces the file, changes captions and transcript, or removes it.
 * The video being edited is in the address (`?video=<id>`, `?video=new`); a save carries the
 * video's ETag, so a change by another admin meanwhile is a 412 shown here, never overwritten.
 * The server audits every change.
 */
export function SignVideosPage() {
  const tr = useAdminTranslation();
  const { tc } = tr;
  const [params, setParams] = useSearchParams();
  const editing = params.get('video');
  const [version, setVersion] = useState(0);
  const [notice, setNotice] = useState<string | null>(null);
  const choose = (video: string | null) => {
    setNotice(null);
    setParams(video ? { video } : {}, { replace: true });
  };
  const done = (message: string) => {
    setNotice(message);
    setVersion((n) => n + 1);
    setParams({}, { replace: true });
  };
  const title = tc('signVideos.title');
  return (
    <section className="fd-page" data-testid="page-admin-sign-videos">
      <PageHeading title={title} lead={tc('signVideos.lead')}>
        {title}
      </PageHeading>
      {notice ? <Alert tone="success" role="status" title={notice} headingLevel={2} /> : null}
      {editing === 'new' ? (
        <VideoForm key={`new-${version}`} tr={tr} onDone={done} onCancel={() => choose(null)} />
      ) : editing ? (
        <Editor key={`${editing}-${version}`} id={editing} tr={tr} onDone={done} onCancel={() => choose(null)} />
      ) : (
        <div className="fd-actions">
          <Button icon="add" onClick={() => choose('new')}>
            {tc('signVideos.add')}
          </Button>
        </div>
      )}
      <Overview tr={tr} version={version} onEdit={choose} />
    </section>
  );
}

type Done = (message: string) => void;

function Editor({ id, tr, onDone, onCancel }: { id: string; tr: AdminTranslation; onDone: Done; onCancel: () => void }) {
  const [round, setRound] = useState(0);
  const loaded = useLoad(`sign-video-${id}-${round}`, (signal) => readSignVideo(id, signal));
  return (
    <Loaded value={loaded}>
      {({ data, etag }) => (
        <VideoForm
          key={etag ?? round}
          tr={tr}
          video={data}
          etag={etag}
          onDone={onDone}
          onCancel={onCancel}
          onReload={() => setRound((n) => n + 1)}
        />
      )}
    </Loaded>
  );
}

type Values = {
  page: string;
  title: string;
  url: string;
  duration_seconds: string;
  width: string;
  height: string;
  fps: string;
  captions: string;
  transcript: string;
};
const NUMBERS = [
  ['duration_seconds', 1, 3 * 3600],
  ['width', 320, 7680],
  ['height', 240, 4320],
  ['fps', 25, 120],
] as const;
/** The two long texts, both in German: the captions (WebVTT, left to right) and the transcript. */
const TEXTS = [
  { key: 'captions', maxLength: 200000, dir: 'ltr' },
  { key: 'transcript', maxLength: 50000, dir: undefined },
] as const;
const FIELDS = ['page', 'title', 'url', 'duration_seconds', 'width', 'height', 'fps', 'captions', 'transcript', 'file'];
type TextKey = Exclude<keyof Values, 'page'>;

function VideoForm({
  tr,
  video,
  etag: loadedEtag = null,
  onDone,
  onCancel,
  onReload,
}: {
  tr: AdminTranslation;
  video?: SignVideo;
  etag?: string | null;
  onDone: Done;
  onCancel: () => void;
  onReload?: () => void;
}) {
  const { tc, language } = tr;
  const formId = useId();
  const idOf = (key: string) => `${formId}-${key}`;
  const [file, setFile] = useState<File | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [removing, setRemoving] = useState<unknown>(null);
  const isLink = Boolean(video?.url);
  const validate = useCallback(
    (v: Values): Errors => {
      const e: Errors = {};
      if (!v.title.trim()) e.title = tc('signVideos.invalid.required');
      for (const [key, min, max] of NUMBERS) {
        const n = Number(v[key]);
        if (!/^\d+$/.test(v[key].trim()) || n < min || n > max) e[key] = tc('signVideos.invalid.range', { min, max });
      }
      if (v.url.trim() && !/^https:\/\/\S{4,}$/.test(v.url.trim())) e.url = tc('signVideos.invalid.https');
      if (v.captions.trim() && !v.captions.startsWith('WEBVTT')) e.captions = tc('signVideos.invalid.vtt');
      return e;
    },
    [tc],
  );
  const form = useForm<Values>({
    initial: {
      page: video?.page ?? 'home',
      title: video?.title ?? '',
      url: video?.url ?? '',
      duration_seconds: video ? String(video.duration_seconds) : '',
      width: video ? String(video.width) : '',
      height: video ? String(video.height) : '',
      fps: video ? String(video.fps) : '25',
      captions: video?.captions ?? '',
      transcript: video?.transcript ?? '',
    },
    validate,
    fields: (key) => FIELDS.includes(key),
    idOf,
    tc,
  });
  const { values, set, error, busy } = form;
  /** What every text field of the form shares: its id, value, error and change handler. */
  const bind = (key: TextKey) => ({
    id: idOf(key),
    value: values[key],
    error: error(key),
    onChange: (e: { target: { value: string } }) => set(key, e.target.value),
  });

  const chooseFile = (f: File | null) => {
    setFile(f);
    setFileError(f && !(SIGN_VIDEO_TYPES as readonly string[]).includes(f.type) ? tc('signVideos.invalid.fileType') : null);
  };
  const submit = form.onSubmit(async (v) => {
    if (fileError) {
      document.getElementById(idOf('file'))?.focus();
      return;
    }
    if (v.url.trim() && file) {
      setFileError(tc('signVideos.invalid.both'));
      document.getElementById(idOf('file'))?.focus();
      return;
    }
    const body: SignVideoBody = {
      page: v.page as SignVideoBody['page'],
      title: v.title.trim(),
      duration_seconds: Number(v.duration_seconds),
      width: Number(v.width),
      height: Number(v.height),
      fps: Number(v.fps),
      captions: v.captions,
      transcript: v.transcript,
    };
    if (v.url.trim() && (!video || isLink)) body.url = v.url.trim();
    // The entry first (new, or changed under the ETag as loaded), then its file under the new ETag.
    const saved = video ? await updateSignVideo(video.id, body, loadedEtag) : await createSignVideo(body);
    if (file) {
      try {
        await putSignVideoFile(saved.data.id, file, saved.etag);
      } catch (e) {
        // The entry is saved; a refused file (wrong content) is shown at the file field.
        if (e instanceof ApiError && (e.status === 422 || e.status === 415 || e.status === 413)) {
          setFileError(e.status === 413 ? tc('signVideos.invalid.tooLarge') : tc('signVideos.invalid.content'));
          document.getElementById(idOf('file'))?.focus();
          if (!video) onDone(tc('signVideos.createdNoFile', { title: saved.data.title }));
          return;
        }
        throw e;
      }
    }
    onDone(tc(video ? 'signVideos.saved' : 'signVideos.created', { title: saved.data.title }));
  });

  async function remove(v: SignVideo) {
    setRemoving(null);
    try {
      await deleteSignVideo(v.id, loadedEtag);
      onDone(tc('signVideos.removed', { title: v.title }));
    } catch (e) {
      setRemoving(e);
    }
  }

  const stale = [form.failure, removing].some((e) => e instanceof ApiError && e.status === 412);
  const heading = video ? tc('signVideos.editTitle', { title: video.title }) : tc('signVideos.newTitle');
  return (
    <form className="fd-form fd-admin-form" noValidate aria-labelledby={`${formId}-h`} data-testid="sign-video-form" onSubmit={submit}>
      <h2 className="kern-heading-medium" id={`${formId}-h`}>
        {heading}
      </h2>
      <SelectField id={idOf('page')} label={tc('signVideos.field.page')} value={values.page} onChange={(e) => set('page', e.target.value)}>
        {SIGN_VIDEO_PAGES.map((p) => (
          <option key={p} value={p}>
            {tc(`signVideos.pages.${p}`)}
          </option>
        ))}
      </SelectField>
      <TextField {...bind('title')} label={tc('signVideos.field.title')} maxLength={200} lang="de" />
      {!video || isLink ? (
        <TextField
          {...bind('url')}
          label={tc('signVideos.field.url')}
          hint={tc('signVideos.field.urlHint')}
          optional={tc('signVideos.optional')}
          type="url"
          inputMode="url"
          dir="ltr"
          maxLength={2000}
        />
      ) : null}
      {!isLink ? (
        <TextField
          id={idOf('file')}
          type="file"
          accept=".mp4,.webm,video/mp4,video/webm"
          label={video?.content_type ? tc('signVideos.field.replaceFile') : tc('signVideos.field.file')}
          hint={
            video?.content_type
              ? `${tc('signVideos.field.current', { type: fileType(video.content_type), size: megabytes(video.size_bytes, language) })} ${tc('signVideos.field.fileHint')}`
              : tc('signVideos.field.fileHint')
          }
          className="fd-file-input"
          error={fileError}
          onChange={(e) => chooseFile(e.target.files?.[0] ?? null)}
        />
      ) : null}
      <p className="kern-body">
        {tc('signVideos.field.factsHint')}
      </p>
      <div className="fd-admin-sign-videos__facts">
        {NUMBERS.map(([key, , max]) => (
          <TextField key={key} {...bind(key)} label={tc(`signVideos.field.${key}`)} inputMode="numeric" maxLength={String(max).length} />
        ))}
      </div>
      {TEXTS.map(({ key, maxLength, dir }) => (
        <TextArea
          key={key}
          {...bind(key)}
          label={tc(`signVideos.field.${key}`)}
          hint={tc(`signVideos.field.${key}Hint`)}
          rows={6}
          maxLength={maxLength}
          lang="de"
          dir={dir}
        />
      ))}
      {stale ? (
        // Someone else changed this video since it was loaded: nothing of this save was stored.
        <Alert tone="warning" role="alert" title={tc('signVideos.conflict.title')} headingLevel={3}>
          <p className="kern-body" data-testid="sign-video-conflict">
            {tc('signVideos.conflict.text')}
          </p>
          {onReload ? (
            <div className="fd-actions">
              <Button type="button" variant="secondary" icon="autorenew" onClick={onReload}>
                {tc('signVideos.conflict.reload')}
              </Button>
            </div>
          ) : null}
        </Alert>
      ) : (
        <>
          <OtherErrors errors={form.otherErrors} />
          {form.failure && !form.otherErrors.length ? <ErrorMessage error={form.failure} /> : null}
          {removing ? <ErrorMessage error={removing} /> : null}
        </>
      )}
      <div className="fd-actions">
        <Button type="submit" busy={busy}>
          {tc('signVideos.save')}
        </Button>
        <Button type="button" variant="tertiary" onClick={onCancel}>
          {tr.t('common.cancel')}
        </Button>
        {video ? (
          <Button type="button" variant="secondary" icon="delete" onClick={() => setConfirming(true)}>
            {tc('signVideos.remove')}
          </Button>
        ) : null}
      </div>
      {video && confirming ? (
        <Alert tone="warning" role="alert" title={tc('signVideos.confirmTitle', { title: video.title })} headingLevel={3}>
          <p className="kern-body">{tc('signVideos.confirmText')}</p>
          <div className="fd-actions">
            <Button type="button" onClick={() => void remove(video)}>
              {tc('signVideos.confirmRemove')}
            </Button>
            <Button type="button" variant="tertiary" onClick={() => setConfirming(false)}>
              {tr.t('common.cancel')}
            </Button>
          </div>
        </Alert>
      ) : null}
    </form>
  );
}

function Overview({ tr, version, onEdit }: { tr: AdminTranslation; version: number; onEdit: (id: string) => void }) {
  const { language } = tr;
  const loaded = useLoad(`sign-videos-${version}`, listSignVideos);
  return (
    <Loaded value={loaded}>
      {(videos) => (
        <>
          {SIGN_VIDEO_PAGES.map((page) => (
            <Slot key={page} tr={tr} page={page} videos={videos.filter((v) => v.page === page)} onEdit={onEdit} language={language} />
          ))}
        </>
      )}
    </Loaded>
  );
}

function Slot({
  tr,
  page,
  videos,
  onEdit,
  language,
}: {
  tr: AdminTranslation;
  page: string;
  videos: SignVideo[];
  onEdit: (id: string) => void;
  language: string;
}) {
  const { tc } = tr;
  const id = useId();
  const name = tc(`signVideos.pages.${page}`);
  return (
    <section aria-labelledby={`${id}-h`} className="fd-admin-settings__section" data-testid={`sign-videos-${page}`}>
      <h2 className="kern-heading-medium" id={`${id}-h`}>
        {name}
      </h2>
      {/* The slot is on this page in every portal language: one link per language, named in itself. */}
      <p className="kern-body">{tc('signVideos.languages')}</p>
      <ul className="fd-admin-sign-videos__languages">
        {PORTAL_LANGUAGES.map(([code, label]) => (
          <li key={code}>
            <a className="kern-link" href={portalPath(page, code)} hrefLang={code} lang={code} target="_blank" rel="noopener">
              {label}
            </a>
          </li>
        ))}
        {page === 'home' ? (
          <li>
            <a className="kern-link" href="/de/leichte-sprache/" hrefLang="de" lang="de" target="_blank" rel="noopener">
              {tc('signVideos.plainLanguage')}
            </a>
          </li>
        ) : null}
      </ul>
      {videos.length === 0 ? (
        <p className="kern-body" data-testid={`sign-videos-${page}-none`}>
          {tc('signVideos.none')}
        </p>
      ) : (
        <AdminTable
          caption={tc('signVideos.tableCaption', { page: name })}
          testId={`sign-videos-${page}-table`}
          columns={[tc('signVideos.col.title'), tc('signVideos.col.state'), tc('signVideos.col.file'), tc('signVideos.col.facts'), tc('signVideos.col.texts'), tc('signVideos.col.action')]}
        >
          {videos.map((v) => (
            <tr key={v.id} className="kern-table__row" data-testid={`sign-video-${v.id}`}>
              <th scope="row" className="kern-table__cell" lang="de">
                {v.title}
              </th>
              <td className="kern-table__cell">{v.shown ? tc('signVideos.state.shown') : tc('signVideos.state.waiting')}</td>
              <td className="kern-table__cell">
                {v.url ? (
                  <a className="kern-link" href={v.url} rel="external noopener" target="_blank" dir="ltr">
                    {tc('signVideos.link')}
                  </a>
                ) : v.content_type ? (
                  <a className="kern-link" href={`/portal/sign-videos/${encodeURIComponent(v.id)}`} target="_blank" rel="noopener">
                    {fileType(v.content_type)}, {megabytes(v.size_bytes, language)}
                  </a>
                ) : (
                  tc('signVideos.noFile')
                )}
              </td>
              <td className="kern-table__cell">
                <bdi dir="ltr">
                  {duration(v.duration_seconds)}, {v.width}×{v.height}, {v.fps} fps
                </bdi>
              </td>
              <td className="kern-table__cell">
                {[v.has_captions ? tc('signVideos.captions') : null, v.transcript ? tc('signVideos.transcript') : null]
                  .filter(Boolean)
                  .join(', ') || tc('signVideos.noTexts')}
              </td>
              <td className="kern-table__cell">
                {/* Named with the title (an absolutely placed kern-sr-only span would widen a narrow page). */}
                <button
                  type="button"
                  className="kern-link fd-admin-legal__edit"
                  aria-label={`${tc('signVideos.edit')}: ${v.title}`}
                  onClick={() => onEdit(v.id)}
                >
                  {tc('signVideos.edit')}
                </button>
              </td>
            </tr>
          ))}
        </AdminTable>
      )}
    </section>
  );
}
