"use client";
// Dialogs, the phone's navigation drawer and the toasts load when first needed: a page's first
// load carries none of Radix Dialog or Toast.
import dynamic from "next/dynamic";

export const NewProjectDialog = dynamic(() => import("./ProjectDialogs").then((m) => m.NewProjectDialog), { ssr: false });
export const RenameProjectDialog = dynamic(() => import("./ProjectDialogs").then((m) => m.RenameProjectDialog), { ssr: false });
export const DeleteProjectDialog = dynamic(() => import("./ProjectDialogs").then((m) => m.DeleteProjectDialog), { ssr: false });
export const MobileNav = dynamic(() => import("./MobileNav"), { ssr: false });
export const Toaster = dynamic(() => import("@/components/ui/Toaster").then((m) => m.Toaster), { ssr: false });
