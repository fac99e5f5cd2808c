export { createPackageToolRunner } from "./create-package-tool-runner.js";
export {
  distributionOfTool,
  KNOWN_PACKAGE_TOOLS,
  type PackageToolKind,
  packageOfTool,
  packageToolKind,
} from "./known-package-tools.js";
export { ImageTokens } from "./split-image-parts.js";
