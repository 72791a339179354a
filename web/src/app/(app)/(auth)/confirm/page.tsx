"use client";
import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { Suspense, useState } from "react";
import { AuthCard, TextField, useCognitoStep } from "@/components/AuthCard";
import { confirmSignUp, resendCode } from "@/lib/session";
import { errorMessage } from "@/lib/api/errors";

function Confirm() {
  const router = useRouter();
  const params = useSearchParams();
  const [email, setEmail] = useState(params.get("email") ?? "");
  const [code, setCode] = useState("");
  const [resent, setResent] = useState<string | null>(null);
  const { run, pending, error, config } = useCognitoStep(async (config) => {
    await confirmSignUp(config, email.trim(), code.trim());
    router.push(`/login?email=${encodeURIComponent(email.trim())}`);
  });
  const resend = async () => {
    if (!config) return;
    try {
      await resendCode(config, email.trim());
      setResent("A new code is on its way.");
    } catch (caught) {
      setResent(errorMessage(caught));
    }
  };
  return (
    <AuthCard
      title="Confirm your account"
      submitLabel="Confirm"
      pending={pending}
      error={error}
      onSubmit={run}
      footer={
        <>
          {config?.localMode ? (
            <p className="text-xs">Resending a code is not available in local mode (the emulator does not implement it).</p>
          ) : (
            <p>
              <button type="button" onClick={resend}>
                Send a new code
              </button>{" "}
              <span role="status">{resent}</span>
            </p>
          )}
          <p>
            <Link href="/login">Back to log in</Link>
          </p>
        </>
      }
    >
      {config?.localMode ? (
        <p className="rounded-md bg-warn-soft px-3 py-2 text-warn">
          Local mode: no e-mail is sent and confirmation codes are not checked — any code confirms the account.
        </p>
      ) : (
        <p>We sent a confirmation code to your e-mail address.</p>
      )}
      <TextField id="email" label="E-mail" type="email" value={email} onChange={setEmail} autoComplete="username" />
      <TextField id="code" label="Confirmation code" value={code} onChange={setCode} autoComplete="one-time-code" />
    </AuthCard>
  );
}

export default function ConfirmPage() {
  return (
    <Suspense>
      <Confirm />
    </Suspense>
  );
}
