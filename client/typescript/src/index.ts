/**
 * Kapı's typed client: openapi-fetch over the types openapi-typescript generated from Kapı's
 * /v3/api-docs into schema.d.ts (`npm run generate`, or the Maven build's ClientExamplesIntegrationTests).
 *
 *   const kapi = createKapiClient({ baseUrl: "https://kapi.example.com", token: () => session.accessToken });
 *   const { data, error } = await kapi.GET("/api/admin/users", { params: { query: { search: "ayşe" } } });
 *
 * `data` is the answer's type for the route, `error` a `Problem` (RFC 9457, with `errors` naming fields).
 */
import createClient, { type ClientOptions, type Middleware } from "openapi-fetch";
import type { components, operations, paths } from "./schema.js";

export type { components, operations, paths };

/** Every named schema of the API, e.g. `Schemas["UserResponse"]`. */
export type Schemas = components["schemas"];

/** The body of every error answer. */
export type Problem = components["schemas"]["Problem"];

export interface KapiClientOptions extends ClientOptions {
  /** Where Kapı runs, e.g. `http://localhost:8000`. */
  baseUrl: string;
  /** The current access token (from `POST /auth/login`), read before each request; none: no header. */
  token?: () => string | undefined;
  /** Answers' language: Turkish (`tr`, the default) or English (`en`). */
  language?: "tr" | "en";
}

export function createKapiClient(options: KapiClientOptions) {
  const { token, language, ...clientOptions } = options;
  const client = createClient<paths>(clientOptions);
  const auth: Middleware = {
    onRequest({ request }) {
      const current = token?.();
      if (current && !request.headers.has("Authorization")) {
        request.headers.set("Authorization", `Bearer ${current}`);
      }
      if (language && !request.headers.has("Accept-Language")) {
        request.headers.set("Accept-Language", language);
      }
      return request;
    },
  };
  client.use(auth);
  return client;
}

export type KapiClient = ReturnType<typeof createKapiClient>;
