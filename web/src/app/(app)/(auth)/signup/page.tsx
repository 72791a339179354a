"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { AuthCard, PASSWORD_RULES, TextField, useCognitoStep } from "@/components/AuthCard";
import { signUp } from "@/lib/session";

export default function SignUpPage() {
  const router = useRouter();
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const { run, pending, error } = useCognitoStep(async (config) => {
    await signUp(config, email.trim(), password, name.trim());
    router.push(`/confirm?email=${encodeURIComponent(email.trim())}`);
  });
  return (
    <AuthCard
      title="Sign up"
      submitLabel="Create account"
      pending={pending}
      error={error}
      onSubmit={run}
      footer={
        <p>
          Already have an account? <Link href="/login">Log in</Link>
        </p>
      }
    >
      <TextField id="name" label="Name" value={name} onChange={setName} autoComplete="name" hint="optional" required={false} />
      <TextField id="email" label="E-mail" type="email" value={email} onChange={setEmail} autoComplete="email" />
      <TextField
        id="password"
        label="Password"
        type="password"
        value={password}
        onChange={setPassword}
        autoComplete="new-password"
        hint={PASSWORD_RULES}
      />
    </AuthCard>
  );
}
