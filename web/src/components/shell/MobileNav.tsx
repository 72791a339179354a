"use client";
// The navigation on a phone: the sidebar in a drawer behind the menu button.
import { Sheet } from "@/components/ui/Dialog";
import { Sidebar } from "./Sidebar";

export default function MobileNav({ open, onOpenChange }: { open: boolean; onOpenChange: (open: boolean) => void }) {
  return (
    <Sheet open={open} onOpenChange={onOpenChange} title="Navigation" side="left" hideTitle className="bg-surface">
      <Sidebar onNavigate={() => onOpenChange(false)} />
    </Sheet>
  );
}
