/** The web catalog: a header with search, and the page the URL's hash names. */
import { render } from 'preact';
import { useEffect } from 'preact/hooks';
import { siteConfig } from './api.js';
import { DomainPage } from './pages/domain.js';
import { MeshPage } from './pages/mesh.js';
import { ProductPage } from './pages/product.js';
import { SearchPage } from './pages/search.js';
import { VersionPage } from './pages/version.js';
import { href, useRoute, type Route } from './router.js';
import './styles.css';

function App() {
  const route = useRoute();
  useEffect(() => window.scrollTo(0, 0), [route]);
  return (
    <>
      <header>
        <a class="brand" href={href.mesh()}>
          Tessera catalog
        </a>
        <nav aria-label="Main">
          <a href={href.mesh()}>Mesh overview</a>
          <a href={href.search()}>Search</a>
        </nav>
      </header>
      <main>
        <Page route={route} />
      </main>
    </>
  );
}

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case 'mesh':
      return <MeshPage />;
    case 'search':
      return <SearchPage params={route.params} />;
    case 'product':
      return <ProductPage id={route.id} />;
    case 'version':
      return <VersionPage id={route.id} version={route.version} />;
    case 'domain':
      return <DomainPage name={route.name} />;
    case 'missing':
      return (
        <>
          <h1>No such page</h1>
          <p>
            Nothing lives at {route.path}. <a href={href.mesh()}>Go to the mesh overview</a>.
          </p>
        </>
      );
  }
}

// Deployed, no page renders before sign-in; locally (no signIn in config.json) nothing is loaded for it.
const { signIn } = await siteConfig();
if (signIn) await (await import('./sign-in.js')).ensureSignedIn(signIn);
render(<App />, document.getElementById('app')!);
