export interface HttpResponse<Body = any> {
  status: number;
  headers: Headers;
  body: Body;
}

/** Talks to the API over a real socket, as a client would. */
export class HttpClient {
  constructor(readonly baseUrl: string) {}

  async request<Body = any>(
    method: string,
    path: string,
    options: { body?: unknown; token?: string; headers?: Record<string, string>; rawBody?: string } = {},
  ): Promise<HttpResponse<Body>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | undefined = options.rawBody;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] = 'application/json';
    } else if (body !== undefined) {
      headers['content-type'] ??= 'application/json';
    }
    const response = await fetch(`${this.baseUrl}${path}`, { method, headers, body });
    const text = await response.text();
    let parsed: unknown = text;
    if (/json/.test(response.headers.get('content-type') ?? '') && text !== '') parsed = JSON.parse(text);
    return { status: response.status, headers: response.headers, body: parsed as Body };
  }

  get<Body = any>(path: string, token?: string) {
    return this.request<Body>('GET', path, { token });
  }

  post<Body = any>(path: string, body?: unknown, token?: string) {
    return this.request<Body>('POST', path, { body: body ?? {}, token });
  }

  patch<Body = any>(path: string, body: unknown, token?: string) {
    return this.request<Body>('PATCH', path, { body, token });
  }

  delete<Body = any>(path: string, body?: unknown, token?: string) {
    return this.request<Body>('DELETE', path, { body, token });
  }
}
