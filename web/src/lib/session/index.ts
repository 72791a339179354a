// The session module's interface: everything else imports from here, not from its parts.
export { SessionProvider, useApi, useFeature, useSession, useUser, type SessionContextValue, type SignedInUser } from "./provider";
export { afterLogIn, AuthError, confirmSignUp, forgotPassword, resendCode, resetPassword, signUp } from "./cognito";
export { loadConfig, type AppConfig } from "./config";
