/** A runtime answer: a JSON body sent as is, with its own response headers. */

/** What an InvokeModel or Converse route returns; the router sends `body` with `headers`. */
export class RuntimeReply {
  constructor(
    readonly body: unknown,
    readonly headers: Readonly<Record<string, string>>,
  ) {}
}
