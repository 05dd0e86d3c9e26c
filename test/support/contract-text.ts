/** The ODCS header every small test contract shares; the test writes its own `schema:`. */
export function contractHeader(id: string, domain: string): string {
  return `apiVersion: v3.1.0
kind: DataContract
id: ${id}
version: 1.0.0
status: active
domain: ${domain}
team: {name: t, members: [{username: a, role: Owner}]}
support: [{channel: "#t"}]
`;
}
