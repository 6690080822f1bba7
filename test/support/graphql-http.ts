import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { print } from "graphql";

/** Sends a typed operation over HTTP and returns the parsed JSON body. */
export async function postGraphQL<Result, Variables>(
  url: string,
  document: TypedDocumentNode<Result, Variables>,
  variables: Variables,
): Promise<{
  data?: Result;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify({ query: print(document), variables }),
  });
  return (await response.json()) as never;
}

/**
 * Runs a subscription over SSE (graphql-yoga's distinct-connections mode) and yields each
 * `next` payload until the server completes the stream.
 */
export async function* subscribeSse<Result, Variables>(
  url: string,
  document: TypedDocumentNode<Result, Variables>,
  variables: Variables,
  signal?: AbortSignal,
): AsyncGenerator<{ data?: Result; errors?: { message: string }[] }> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "text/event-stream" },
    body: JSON.stringify({ query: print(document), variables }),
    ...(signal ? { signal } : {}),
  });
  if (!response.ok || !response.body)
    throw new Error(`SSE request failed with HTTP ${response.status}`);
  if (!response.headers.get("content-type")?.includes("text/event-stream")) {
    throw new Error(`Expected text/event-stream, got ${response.headers.get("content-type")}`);
  }
  const decoder = new TextDecoder();
  let buffer = "";
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let boundary = buffer.indexOf("\n\n");
    while (boundary >= 0) {
      const rawEvent = buffer.slice(0, boundary);
      buffer = buffer.slice(boundary + 2);
      boundary = buffer.indexOf("\n\n");
      const lines = rawEvent.split("\n");
      const event = lines
        .find((line) => line.startsWith("event:"))
        ?.slice(6)
        .trim();
      const data = lines
        .filter((line) => line.startsWith("data:"))
        .map((line) => line.slice(5).trim())
        .join("\n");
      if (event === "complete") return;
      if (event === "next" && data) yield JSON.parse(data);
    }
  }
}

/** Runs a typed operation through a yoga instance's fetch, without a network socket. */
export async function executeYoga<Result, Variables>(
  yoga: { fetch: (input: string, init: RequestInit) => Response | Promise<Response> },
  document: TypedDocumentNode<Result, Variables>,
  variables: Variables,
): Promise<Result> {
  const response = await yoga.fetch("http://tailor.test/graphql", {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify({ query: print(document), variables }),
  });
  const body = (await response.json()) as { data?: Result; errors?: { message: string }[] };
  if (body.errors?.length) throw new Error(body.errors.map((error) => error.message).join("; "));
  return body.data as Result;
}
