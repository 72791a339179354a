"use client";
import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { Suspense, useState } from "react";
import { AuthCard, TextField, useCognitoStep } from "@/components/AuthCard";
import { afterLogIn, useSession } from "@/lib/session";

function LogIn() {
  const { endReason, logIn } = useSession();
  const router = useRouter();
  const params = useSearchParams();
  const [email, setEmail] = useState(params.get("email") ?? "");
  const [password, setPassword] = useState("");
  const { run, pending, error } = useCognitoStep(async () => {
    await logIn(email.trim(), password);
    router.replace(afterLogIn(params.get("next")));
  });
  const ended = endReason === "expired" || params.get("expired") === "1";
  return (
    <AuthCard
      title="Log in"
      submitLabel="Log in"
      pending={pending}
      error={error}
      onSubmit={run}
      footer={
        <>
          <p>
            No account? <Link href="/signup">Sign up</Link>
          </p>
          <p>
            <Link href="/forgot">Forgot your password?</Link>
          </p>
        </>
      }
    >
      {ended ? <p className="rounded-md bg-warn-soft px-3 py-2 text-warn" role="status">Your session has ended: please log in again.</p> : null}
      {params.get("reset") === "1" ? <p className="rounded-md bg-warn-soft px-3 py-2 text-warn" role="status">Password changed: log in with the new one.</p> : null}
      <TextField id="email" label="E-mail" type="email" value={email} onChange={setEmail} autoComplete="username" />
      <TextField id="password" label="Password" type="password" value={password} onChange={setPassword} autoComplete="current-password" />
    </AuthCard>
  );
}

export default function LogInPage() {
  return (
    <Suspense>
      <LogIn />
    </Suspense>
  );
}
