"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { AuthCard, PASSWORD_RULES, TextField, useCognitoStep } from "@/components/AuthCard";
import { forgotPassword, resetPassword } from "@/lib/session";

export default function ForgotPasswordPage() {
  const router = useRouter();
  const [email, setEmail] = useState("");
  const [code, setCode] = useState("");
  const [password, setPassword] = useState("");
  const [codeSent, setCodeSent] = useState(false);
  const { run, pending, error, config } = useCognitoStep(async (config) => {
    if (!codeSent) {
      await forgotPassword(config, email.trim());
      setCodeSent(true);
      return;
    }
    await resetPassword(config, email.trim(), code.trim(), password);
    router.push(`/login?reset=1&email=${encodeURIComponent(email.trim())}`);
  });
  return (
    <AuthCard
      title={codeSent ? "Choose a new password" : "Reset your password"}
      submitLabel={codeSent ? "Change password" : "Send me a code"}
      pending={pending}
      error={error}
      onSubmit={run}
      footer={
        <p>
          <Link href="/login">Back to log in</Link>
        </p>
      }
    >
      <TextField id="email" label="E-mail" type="email" value={email} onChange={setEmail} autoComplete="username" />
      {codeSent ? (
        <>
          <p className="rounded-md bg-warn-soft px-3 py-2 text-warn" role="status">
            {config?.localMode
              ? "Local mode: no e-mail is sent and the code is not checked — enter any code."
              : "We sent a code to your e-mail address."}
          </p>
          <TextField id="code" label="Code" value={code} onChange={setCode} autoComplete="one-time-code" />
          <TextField
            id="new-password"
            label="New password"
            type="password"
            value={password}
            onChange={setPassword}
            autoComplete="new-password"
            hint={PASSWORD_RULES}
          />
        </>
      ) : null}
    </AuthCard>
  );
}
