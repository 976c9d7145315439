declare const schema: Record<string, unknown>;
export default schema;
