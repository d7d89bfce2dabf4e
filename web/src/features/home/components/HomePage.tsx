export function HomePage() {
  return <main className="content" data-testid="home-page" />;
}
