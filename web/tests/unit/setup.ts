// Dates are written in the browser's locale; tests pin one (Playwright's is en-GB too).
import { setDateLocale } from "@/lib/dates";

setDateLocale("en-GB");
