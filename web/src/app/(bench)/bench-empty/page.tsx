export const metadata = { title: "Empty page" };

export default function EmptyPage() {
  return <main>Empty page</main>;
}
