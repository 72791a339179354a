import { forwardRef, type ButtonHTMLAttributes, type ReactNode } from "react";
import { cx } from "./cx";

export type ButtonVariant = "primary" | "secondary" | "ghost" | "danger";

const VARIANTS: Record<ButtonVariant, string> = {
  primary: "bg-accent text-accent-fg hover:opacity-90 border-transparent",
  secondary: "bg-raised text-fg border-line hover:bg-subtle",
  ghost: "bg-transparent text-fg border-transparent hover:bg-subtle",
  danger: "bg-raised text-danger border-line hover:bg-danger-soft",
};

export const buttonClass = (variant: ButtonVariant = "secondary", size: "sm" | "md" = "md") =>
  cx(
    "inline-flex shrink-0 items-center justify-center gap-1.5 rounded-md border font-medium transition-colors",
    "disabled:cursor-not-allowed disabled:opacity-55",
    size === "sm" ? "h-7 px-2 text-xs" : "h-8 px-3 text-sm",
    VARIANTS[variant],
  );

interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: ButtonVariant;
  size?: "sm" | "md";
}

export const Button = forwardRef<HTMLButtonElement, ButtonProps>(function Button(
  { variant = "secondary", size = "md", className, type = "button", ...props },
  ref,
) {
  return <button ref={ref} type={type} className={cx(buttonClass(variant, size), className)} {...props} />;
});

interface IconButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  /** What it does, for people who cannot see the icon (required: an icon is not a name). */
  label: string;
  children: ReactNode;
  size?: "sm" | "md";
}

export const IconButton = forwardRef<HTMLButtonElement, IconButtonProps>(function IconButton(
  { label, children, className, size = "md", type = "button", ...props },
  ref,
) {
  return (
    <button
      ref={ref}
      type={type}
      aria-label={label}
      title={props.title ?? label}
      className={cx(
        "inline-flex shrink-0 items-center justify-center rounded-md text-muted transition-colors hover:bg-subtle hover:text-fg",
        "disabled:cursor-not-allowed disabled:opacity-55",
        size === "sm" ? "size-7" : "size-8",
        className,
      )}
      {...props}
    >
      {children}
    </button>
  );
});
