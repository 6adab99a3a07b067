/** YAML files are bundled as their parsed value (esbuild plugin and jest transform), never parsed at run time. */
declare module '*.yaml' {
  const value: unknown;
  export default value;
}
