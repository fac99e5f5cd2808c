import { dirname, resolve } from "node:path";
import { type BicepDocument, literalAt, valueAt } from "./bicep-document.js";
import { type InfraProblem, valueText } from "./infra-checks.js";

/** Azure built-in role definition ids the Function App identity needs, and only these. */
export const requiredRoles: Record<string, string> = {
  "Storage Blob Data Owner": "b7e6dc6d-f1e8-4753-8033-0f276bb0955b",
  "Storage Queue Data Contributor": "974c5e8b-45b9-4653-ba55-5f855dd0fb88",
  "Storage Table Data Contributor": "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3",
  "Cosmos DB Built-in Data Contributor": "00000000-0000-0000-0000-000000000002",
  "Cognitive Services OpenAI User": "5e0bd9bd-7b93-4f28-af87-19fc36ad61bd",
  "Monitoring Metrics Publisher": "3913510d-42f4-4e42-8a64-420c390055eb",
  "Key Vault Secrets User": "4633458b-17de-408a-b874-0445c86b69e6",
};

const roleAssignmentTypes = new Set([
  "Microsoft.Authorization/roleAssignments",
  "Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments",
]);
const guidPattern = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

export interface GrantedRole {
  roleId: string;
  conditional: boolean;
  file: string;
  line: number;
}

/**
 * The roles granted to the identity module's principalId: follows every module
 * call in the entry file that passes `<identity>.outputs.principalId` as
 * `principalId` and reads the role assignments inside it that use that param.
 */
export function rolesGrantedToIdentity(main: BicepDocument, tree: Map<string, BicepDocument>): GrantedRole[] {
  const identity = main.modules.find((module) => module.path.endsWith("/identity.bicep"));
  if (!identity) return [];
  const granted: GrantedRole[] = [];
  for (const module of main.modules) {
    const principal = valueAt(module.body, "params.principalId");
    if (!principal || valueText(principal) !== `${identity.symbol}.outputs.principalId`) continue;
    const target = tree.get(resolve(dirname(main.file), module.path));
    for (const resource of target?.resources ?? []) {
      if (!roleAssignmentTypes.has(resource.type) || resource.existing) continue;
      if (literalAt(resource.body, "properties.principalId") !== "principalId") continue;
      const definition = literalAt(resource.body, "properties.roleDefinitionId");
      const roleId = typeof definition === "string" ? definition.match(guidPattern)?.[0] : undefined;
      if (!roleId || !target) continue;
      granted.push({
        roleId: roleId.toLowerCase(),
        conditional: resource.conditional,
        file: target.file,
        line: resource.line,
      });
    }
  }
  return granted;
}

export function checkRoleAssignments(main: BicepDocument, tree: Map<string, BicepDocument>): InfraProblem[] {
  const problems: InfraProblem[] = [];
  const granted = rolesGrantedToIdentity(main, tree);
  const always = new Set(granted.filter((role) => !role.conditional).map((role) => role.roleId));
  for (const [name, roleId] of Object.entries(requiredRoles)) {
    if (!always.has(roleId)) {
      problems.push({
        file: main.file,
        line: 1,
        message: `the Function App identity is never granted ${name} (${roleId}) with its principalId`,
      });
    }
  }
  const allowed = new Set(Object.values(requiredRoles));
  for (const role of granted) {
    if (!role.conditional && !allowed.has(role.roleId)) {
      problems.push({
        file: role.file,
        line: role.line,
        message: `the identity gets role ${role.roleId}, which it does not need`,
      });
    }
  }
  for (const document of tree.values()) {
    for (const resource of document.resources) {
      if (resource.type !== "Microsoft.Authorization/roleAssignments" || resource.existing) continue;
      if (!valueAt(resource.body, "scope")) {
        problems.push({
          file: document.file,
          line: resource.line,
          message: `role assignment '${resource.symbol}' has no scope: scope it to the one resource it is for`,
        });
      }
    }
  }
  return problems;
}
