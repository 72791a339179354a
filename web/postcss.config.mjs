// Tailwind CSS 4 through PostCSS (Next.js reads this file; Turbopack supports it).
const config = { plugins: { "@tailwindcss/postcss": {} } };
export default config;
