"use client";
// One export, where its "ready" notification and "Export project" lead: progress while it
// runs, then the download.
import { ArrowLeft } from "lucide-react";
import Link from "next/link";
import { useParams } from "next/navigation";
import { ExportCard } from "@/components/exchange/ExportCard";
import { PageTitle } from "@/components/ui/PageTitle";

export default function ExportPage() {
  const { id } = useParams<{ id: string }>();
  return (
    <div className="mx-auto max-w-2xl space-y-4">
      <PageTitle title="Export" />
      <Link href="/settings/export" className="inline-flex items-center gap-1 text-muted hover:text-fg">
        <ArrowLeft className="size-4" aria-hidden="true" /> All exports
      </Link>
      <h1 className="text-xl font-semibold">Export</h1>
      <ExportCard id={id} />
    </div>
  );
}
