/**
 * The session: who is signed in, sign-in and sign-out, and what happens when the server says the
 * session has gone. Pages read it with `useAuth()`.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { api, ApiError, onReauthenticate, onTotpEnrolmentRequired, onUnauthorized, setCsrfToken } from './api';
import { clearDraftsOf, setDraftUser } from './drafts';
import { changeLanguage, isLanguage, takePickedSignedOut } from './i18n';
import type { Role } from './roles';

export interface User {
  id: string;
  email: string;
  display_name: string;
  role: Role;
  centre_id: string | null;
  centre_name: string | null;
  state: string | null;
  language: string;
  totp_enabled: boolean;
}

interface SessionAnswer {
  user: User;
  csrf_token: string;
  /**
   * The server runs with `--require-2fa`, this role has case access and the account has no second
   * factor yet: until TOTP is set up, only the profile (TOTP set-up), /me and sign-out work.
   */
  totp_enrolment_required?: boolean;
  /** Signed in with a one-time password (set by an administrator): a new one must be chosen first. */
  password_change_required?: boolean;
}

export interface Credentials {
  email: string;
  password: string;
  totp?: string;
  /** The solved proof-of-work challenge, when the server asked for one. */
  proof?: { challenge: string; nonce: string };
}

/** Why the person is on the sign-in page, when that needs saying. */
export type SessionNotice = 'expired' | 'signed-out' | null;

export type AuthStatus = 'loading' | 'signed-in' | 'signed-out' | 'unreachable';

interface AuthContextValue {
  status: AuthStatus;
  user: User | null;
  /** The account must set up TOTP before anything but the profile page can be used. */
  totpEnrolmentRequired: boolean;
  /** The account signed in with a one-time password and must choose its own first. */
  passwordChangeRequired: boolean;
  notice: SessionNotice;
  signIn(credentials: Credentials): Promise<User>;
  signOut(): Promise<void>;
  /** Reloads the user from `GET /api/v1/me` (after a change to the account). */
  refresh(): Promise<void>;
  /** Replaces the user with a fresh copy from a server answer. */
  setUser(user: User): void;
  clearNotice(): void;
  retry(): void;
  /**
   * True while a request waits for the person to confirm their password (the session ended with a
   * form open); `reauthenticate` renews the session and lets the waiting requests go on,
   * `abandonReauthentication` gives up (to the sign-in page; drafts stay).
   */
  reauthenticating: boolean;
  reauthenticate(credentials: { password: string; totp?: string }): Promise<void>;
  abandonReauthentication(): void;
}

const AuthContext = createContext<AuthContextValue | null>(null);

export function createSession(credentials: Credentials): Promise<SessionAnswer> {
  return api.post<SessionAnswer>('/api/v1/session', credentials, { quietUnauthorized: true });
}

export function fetchMe(): Promise<SessionAnswer> {
  return api.get<SessionAnswer>('/api/v1/me', { quietUnauthorized: true });
}

async function adoptUserLanguage(user: User): Promise<void> {
  if (isLanguage(user.language)) await changeLanguage(user.language);
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<AuthStatus>('loading');
  const [user, setUserState] = useState<User | null>(null);
  const [totpEnrolmentRequired, setTotpEnrolmentRequired] = useState(false);
  const [passwordChangeRequired, setPasswordChangeRequired] = useState(false);
  // A language picked before signing in that the server did not take yet (one-time password).
  const pendingLanguage = useRef<string | null>(null);
  const [notice, setNotice] = useState<SessionNotice>(null);
  const [attempt, setAttempt] = useState(0);
  const [reauthenticating, setReauthenticating] = useState(false);
  const pendingReauth = useRef<((renewed: boolean) => void) | null>(null);
  const userRef = useRef<User | null>(null);
  userRef.current = user;

  useEffect(() => {
    setDraftUser(user?.id ?? null);
  }, [user?.id]);

  useEffect(() => {
    if (status !== 'signed-in') return;
    onReauthenticate(
      () =>
        new Promise<boolean>((resolve) => {
          pendingReauth.current = resolve;
          setReauthenticating(true);
        }),
    );
    return () => onReauthenticate(null);
  }, [status]);

  const dropSession = useCallback((why: SessionNotice) => {
    setCsrfToken(null);
    setUserState(null);
    setTotpEnrolmentRequired(false);
    setPasswordChangeRequired(false);
    setStatus('signed-out');
    setNotice(why);
  }, []);

  useEffect(() => {
    let cancelled = false;
    fetchMe().then(
      async (answer) => {
        setCsrfToken(answer.csrf_token);
        await adoptUserLanguage(answer.user);
        if (cancelled) return;
        setUserState(answer.user);
        setTotpEnrolmentRequired(answer.totp_enrolment_required === true);
        setPasswordChangeRequired(answer.password_change_required === true);
        setStatus('signed-in');
      },
      (error: unknown) => {
        if (cancelled) return;
        if (error instanceof ApiError && error.status === 401) {
          dropSession(error.is('session-expired') ? 'expired' : null);
        } else {
          setStatus('unreachable');
        }
      },
    );
    return () => {
      cancelled = true;
    };
  }, [attempt, dropSession]);

  useEffect(() => {
    // Any 401 in the middle of work means the session has ended (timed out, signed out elsewhere,
    // server restarted with a fresh database): say so on the sign-in page.
    onUnauthorized(() => dropSession('expired'));
    return () => onUnauthorized(null);
  }, [dropSession]);

  useEffect(() => {
    // The server refused a request until a second factor is set up (a tab that still thinks
    // otherwise, or TOTP turned off elsewhere): switch to the set-up mode, and fetch the account
    // anew so that the profile shows the current TOTP status.
    onTotpEnrolmentRequired(() => {
      setTotpEnrolmentRequired(true);
      fetchMe().then(
        (answer) => {
          setCsrfToken(answer.csrf_token);
          setUserState(answer.user);
          setTotpEnrolmentRequired(answer.totp_enrolment_required === true);
        },
        () => undefined,
      );
    });
    return () => onTotpEnrolmentRequired(null);
  }, []);

  const signIn = useCallback(async (credentials: Credentials) => {
    const answer = await createSession(credentials);
    setCsrfToken(answer.csrf_token);
    // A language picked on the sign-in page wins over the account's and becomes the account's.
    const picked = takePickedSignedOut();
    let user = answer.user;
    if (picked && picked !== user.language) {
      await changeLanguage(picked);
      try {
        user = (await api.patch<{ user: User }>('/api/v1/me', { language: picked }, { quietUnauthorized: true })).user;
      } catch {
        // Not allowed yet (a one-time password must be changed first): the choice holds in this
        // tab and is saved once the password is changed (refresh).
        pendingLanguage.current = picked;
      }
    } else {
      await adoptUserLanguage(user);
    }
    setUserState(user);
    setTotpEnrolmentRequired(answer.totp_enrolment_required === true);
    setPasswordChangeRequired(answer.password_change_required === true);
    setNotice(null);
    setStatus('signed-in');
    return user;
  }, []);

  const signOut = useCallback(async () => {
    try {
      await api.del<void>('/api/v1/session', undefined, { quietUnauthorized: true });
    } catch (error) {
      // A session that is already gone on the server is as good as signed out.
      if (!(error instanceof ApiError && error.status === 401)) throw error;
    }
    clearDraftsOf(userRef.current?.id ?? null);
    dropSession('signed-out');
  }, [dropSession]);

  const reauthenticate = useCallback(async (credentials: { password: string; totp?: string }) => {
    const current = userRef.current;
    if (!current) throw new Error('reauthenticate without a user');
    const answer = await createSession({ email: current.email, ...credentials });
    setCsrfToken(answer.csrf_token);
    setUserState(answer.user);
    setReauthenticating(false);
    const resolve = pendingReauth.current;
    pendingReauth.current = null;
    resolve?.(true);
  }, []);

  const abandonReauthentication = useCallback(() => {
    setReauthenticating(false);
    const resolve = pendingReauth.current;
    pendingReauth.current = null;
    resolve?.(false);
  }, []);

  const refresh = useCallback(async () => {
    const answer = await fetchMe();
    setCsrfToken(answer.csrf_token);
    if (pendingLanguage.current && answer.password_change_required !== true) {
      const language = pendingLanguage.current;
      pendingLanguage.current = null;
      try {
        answer.user = (await api.patch<{ user: User }>('/api/v1/me', { language })).user;
      } catch {
        // Kept in this tab only; the language switch in the header saves it too.
      }
    }
    setUserState(answer.user);
    setTotpEnrolmentRequired(answer.totp_enrolment_required === true);
    setPasswordChangeRequired(answer.password_change_required === true);
  }, []);

  const value = useMemo<AuthContextValue>(
    () => ({
      status,
      user,
      totpEnrolmentRequired,
      passwordChangeRequired,
      notice,
      signIn,
      signOut,
      refresh,
      setUser: setUserState,
      clearNotice: () => setNotice(null),
      retry: () => {
        setStatus('loading');
        setAttempt((n) => n + 1);
      },
      reauthenticating,
      reauthenticate,
      abandonReauthentication,
    }),
    [status, user, totpEnrolmentRequired, passwordChangeRequired, notice, signIn, signOut, refresh, reauthenticating, reauthenticate, abandonReauthentication],
  );

  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthContextValue {
  const context = useContext(AuthContext);
  if (!context) throw new Error('useAuth outside AuthProvider');
  return context;
}

/** The signed-in user; only for pages behind the sign-in guard. */
export function useUser(): User {
  const { user } = useAuth();
  if (!user) throw new Error('useUser without a signed-in user');
  return user;
}
