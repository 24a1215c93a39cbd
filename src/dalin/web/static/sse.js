// Server-sent events read from a fetch() response body, so that a POST with a JSON body and an
// Authorization header can stream (EventSource can do neither). Follows the parsing rules of
// the HTML standard: "event:" and "data:" fields, a blank line ends an event, ":" is a comment.
// https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation

/** Yield {event, data} for each event in ``response``'s body; ``data`` is the raw string. */
export async function* readEvents(response) {
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  let event = "";
  let data = [];
  const dispatch = () => {
    const out = data.length ? { event: event || "message", data: data.join("\n") } : null;
    event = "";
    data = [];
    return out;
  };
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let newline;
      while ((newline = buffer.indexOf("\n")) >= 0) {
        let line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        if (line.endsWith("\r")) line = line.slice(0, -1);
        if (line === "") {
          const out = dispatch();
          if (out) yield out;
          continue;
        }
        if (line.startsWith(":")) continue;
        const colon = line.indexOf(":");
        const field = colon < 0 ? line : line.slice(0, colon);
        let text = colon < 0 ? "" : line.slice(colon + 1);
        if (text.startsWith(" ")) text = text.slice(1);
        if (field === "event") event = text;
        else if (field === "data") data.push(text);
      }
    }
    // a stream that ends without the final blank line still delivers its last event
    if (buffer.trim()) {
      const colon = buffer.indexOf(":");
      if (buffer.slice(0, colon) === "data") data.push(buffer.slice(colon + 1).trimStart());
    }
    const out = dispatch();
    if (out) yield out;
  } finally {
    // stop the download when the reader leaves early (a stopped answer, an error)
    reader.cancel().catch(() => {});
  }
}

/** Like readEvents, with ``data`` parsed as JSON (events whose data is not JSON are skipped). */
export async function* readJsonEvents(response) {
  for await (const { event, data } of readEvents(response)) {
    let parsed;
    try {
      parsed = JSON.parse(data);
    } catch {
      continue;
    }
    yield { event, data: parsed };
  }
}
