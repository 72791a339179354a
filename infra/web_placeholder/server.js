// Stand-in for the Next.js standalone server (see README.md): same port, same start command.
const http = require("node:http");

const port = Number(process.env.PORT || 3000);
const host = process.env.HOSTNAME || "0.0.0.0";
const page =
  "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Tasklane</title></head>" +
  "<body><h1>Tasklane</h1><p>This stack was deployed without a web build. Run " +
  "<code>npm --prefix web run build</code>, then <code>make deploy</code> again.</p></body></html>";

http
  .createServer((_request, response) => {
    response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    response.end(page);
  })
  .listen(port, host);
