import type { MetadataRoute } from "next";

// Installable: name, colours and icons (the mark of src/app/icon.svg, drawn full-bleed).
export default function manifest(): MetadataRoute.Manifest {
  return {
    name: "Tasklane",
    short_name: "Tasklane",
    description: "Tasks and projects for teams",
    start_url: "/projects/inbox",
    display: "standalone",
    background_color: "#ffffff",
    theme_color: "#4f46e5",
    icons: [
      { src: "/icons/icon-192.png", sizes: "192x192", type: "image/png", purpose: "any" },
      { src: "/icons/icon-512.png", sizes: "512x512", type: "image/png", purpose: "maskable" },
      { src: "/icon.svg", sizes: "any", type: "image/svg+xml" },
    ],
  };
}
