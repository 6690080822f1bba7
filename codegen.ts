import type { CodegenConfig } from "@graphql-codegen/cli";

/** Typed documents for schema/operations/*.graphql, used by the CLI, the tests and examples. */
const config: CodegenConfig = {
  schema: "schema/schema.graphql",
  documents: ["schema/operations/**/*.graphql"],
  generates: {
    "src/graphql/generated/": {
      preset: "client",
      presetConfig: { fragmentMasking: false },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        scalars: { JSON: "unknown", DateTime: "string", File: "File" },
      },
    },
  },
  ignoreNoDocuments: false,
  // ES module imports with explicit extensions, as the rest of the code base uses.
  emitLegacyCommonJSImports: false,
};

export default config;
