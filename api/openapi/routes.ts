/**
 * GET /openapi.json (the generated document) and GET /docs (Swagger UI, served from the installed
 * swagger-ui-dist package: no CDN, and a CSP that allows only this origin's scripts).
 */
import { dirname } from 'node:path';
import express, { Router } from 'express';
import { methodNotAllowed } from '../http/problem';
import type { OpenApiDocument } from './document';

/** The docs page's CSP: its own scripts and styles (Swagger UI sets inline styles and data: images). */
export const docsPageCsp =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const ASSETS = '/docs/assets';

const docsPage = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Complaint API</title>
<link rel="stylesheet" href="${ASSETS}/swagger-ui.css">
<link rel="icon" type="image/png" href="${ASSETS}/favicon-32x32.png">
</head>
<body>
<div id="swagger-ui"></div>
<script src="${ASSETS}/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script>
</body>
</html>
`;

// A file, not an inline script, so the CSP needs no 'unsafe-inline' for scripts.
const docsInit = `window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui', deepLinking: true });\n`;

/** Mount at the root. `document` is built once by the app. */
export function openApiRoutes(document: OpenApiDocument): Router {
  const router = Router();
  const body = JSON.stringify(document);
  router
    .route('/openapi.json')
    .get((_req, res) => {
      res.type('application/json').set('Cache-Control', 'no-cache').send(body);
    })
    .all(methodNotAllowed(['GET']));
  router
    .route('/docs')
    .get((_req, res) => {
      res.set('Content-Security-Policy', docsPageCsp).type('html').send(docsPage);
    })
    .all(methodNotAllowed(['GET']));
  router.get('/docs/init.js', (_req, res) => {
    res.type('text/javascript').send(docsInit);
  });
  router.use(ASSETS, express.static(dirname(require.resolve('swagger-ui-dist/package.json')), { index: false, maxAge: '1d' }));
  return router;
}
