export function specTypesSource(schemaText: string): Promise<string>;
