// flowops infrastructure for one azd environment: a resource group holding a
// Flex Consumption Function App (Node.js 20, Durable Functions) — or, with
// functionHosting=containerApps, the same app as a container on Azure Container
// Apps (with Python and the flows' requirements, for flows with python nodes) —, Storage,
// Cosmos DB (serverless), Application Insights + Log Analytics, Azure OpenAI
// and Key Vault, all reached keyless through one user-assigned identity.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Name of the azd environment (dev, prod...): names the resource group and seeds resource names.')
param environmentName string

@minLength(1)
@description('Primary location for all resources.')
param location string

@description('Object id of the user or CI principal running azd; gets data-plane access so the flowops CLI can use the registry and run stores. Empty to skip.')
param principalId string = ''

@description('Kind of principal in principalId.')
@allowed([
  'User'
  'ServicePrincipal'
])
param principalType string = 'User'

@description('Location of the Azure OpenAI account (the model must be offered there).')
param openAiLocation string = location

@description('Name of the Azure OpenAI model deployment (deployment_name in flows).')
param openAiDeploymentName string = 'gpt-4o-mini'

@description('Model deployed under openAiDeploymentName.')
param openAiModelName string = 'gpt-4o-mini'

@description('Version of the model.')
param openAiModelVersion string = '2024-07-18'

@description('SKU of the model deployment.')
param openAiDeploymentSkuName string = 'GlobalStandard'

@description('Capacity of the model deployment, in thousands of tokens per minute.')
@minValue(1)
param openAiCapacity int = 30

@description('Flows that get a {flow}-runs queue for queue-triggered bulk evaluation.')
param queuedFlows array = [
  'named-entity-recognition'
  'chat'
]

@description('Upper bound of Function App instances.')
param maximumInstanceCount int = 100

@description('How the Functions app is hosted: flex (Flex Consumption, code only: enough while no flow has python nodes) or containerApps (Azure Container Apps hosting for Functions, running the image `flowops build` writes, with Python and every flow\'s requirements). `flowops build` says which one a project needs.')
@allowed([
  'flex'
  'containerApps'
])
param functionHosting string = 'flex'

var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = {
  'azd-env-name': environmentName
}
var cosmosDatabaseName = 'flowops'
var containerHosting = functionHosting == 'containerApps'

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module identity './app/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: 'id-flowops-${resourceToken}'
    location: location
    tags: tags
  }
}

module monitoring './app/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: 'log-${resourceToken}'
    applicationInsightsName: 'appi-${resourceToken}'
    location: location
    tags: tags
  }
}

module storage './app/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: 'st${resourceToken}'
    location: location
    tags: tags
    queueNames: [for flow in queuedFlows: '${flow}-runs']
  }
}

module cosmos './app/cosmos.bicep' = {
  name: 'cosmos'
  scope: rg
  params: {
    name: 'cosmos-${resourceToken}'
    location: location
    tags: tags
    databaseName: cosmosDatabaseName
  }
}

module openAi './app/openai.bicep' = {
  name: 'openai'
  scope: rg
  params: {
    name: 'oai-${resourceToken}'
    location: openAiLocation
    tags: tags
    deploymentName: openAiDeploymentName
    modelName: openAiModelName
    modelVersion: openAiModelVersion
    deploymentSkuName: openAiDeploymentSkuName
    capacity: openAiCapacity
  }
}

module keyVault './app/keyvault.bicep' = {
  name: 'keyvault'
  scope: rg
  params: {
    name: 'kv-${resourceToken}'
    location: location
    tags: tags
  }
}

module appRoles './app/role-assignments.bicep' = {
  name: 'app-roles'
  scope: rg
  params: {
    principalId: identity.outputs.principalId
    principalType: 'ServicePrincipal'
    storageAccountName: storage.outputs.name
    cosmosAccountName: cosmos.outputs.name
    openAiAccountName: openAi.outputs.name
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    keyVaultName: keyVault.outputs.name
  }
}

module deployerRoles './app/role-assignments.bicep' = if (!empty(principalId)) {
  name: 'deployer-roles'
  scope: rg
  params: {
    principalId: principalId
    principalType: principalType
    storageAccountName: storage.outputs.name
    cosmosAccountName: cosmos.outputs.name
    openAiAccountName: openAi.outputs.name
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    keyVaultName: keyVault.outputs.name
    grantKeyVaultSecretsOfficer: principalType == 'User'
  }
}

module functionApp './app/function-app.bicep' = if (!containerHosting) {
  name: 'function-app'
  scope: rg
  params: {
    name: 'func-flowops-${resourceToken}'
    planName: 'plan-flowops-${resourceToken}'
    location: location
    tags: tags
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageBlobEndpoint: storage.outputs.blobEndpoint
    storageQueueEndpoint: storage.outputs.queueEndpoint
    storageTableEndpoint: storage.outputs.tableEndpoint
    applicationInsightsConnectionString: monitoring.outputs.applicationInsightsConnectionString
    cosmosEndpoint: cosmos.outputs.endpoint
    cosmosDatabaseName: cosmos.outputs.databaseName
    openAiEndpoint: openAi.outputs.endpoint
    openAiDeploymentName: openAi.outputs.deploymentName
    keyVaultUri: keyVault.outputs.uri
    maximumInstanceCount: maximumInstanceCount
  }
  dependsOn: [
    appRoles
  ]
}

module registry './app/container-registry.bicep' = if (containerHosting) {
  name: 'container-registry'
  scope: rg
  params: {
    name: 'cr${resourceToken}'
    location: location
    tags: tags
    principalId: identity.outputs.principalId
    deployerPrincipalId: principalId
    deployerPrincipalType: principalType
  }
}

module containerEnvironment './app/container-apps-environment.bicep' = if (containerHosting) {
  name: 'container-apps-environment'
  scope: rg
  params: {
    name: 'cae-${resourceToken}'
    location: location
    tags: tags
    logAnalyticsWorkspaceId: monitoring.outputs.logAnalyticsWorkspaceId
  }
}

module containerFunctionApp './app/function-container-app.bicep' = if (containerHosting) {
  name: 'function-container-app'
  scope: rg
  params: {
    name: 'ca-flowops-${resourceToken}'
    location: location
    tags: tags
    environmentId: containerEnvironment.outputs.id
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    registryLoginServer: registry.outputs.loginServer
    storageBlobEndpoint: storage.outputs.blobEndpoint
    storageQueueEndpoint: storage.outputs.queueEndpoint
    storageTableEndpoint: storage.outputs.tableEndpoint
    applicationInsightsConnectionString: monitoring.outputs.applicationInsightsConnectionString
    cosmosEndpoint: cosmos.outputs.endpoint
    cosmosDatabaseName: cosmos.outputs.databaseName
    openAiEndpoint: openAi.outputs.endpoint
    openAiDeploymentName: openAi.outputs.deploymentName
    keyVaultUri: keyVault.outputs.uri
  }
  dependsOn: [
    appRoles
  ]
}

// Read by azd (written to .azure/<env>/.env) and by the flowops CLI.
output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output FLOWOPS_FUNCTION_HOSTING string = functionHosting
output AZURE_FUNCTION_APP_NAME string = containerHosting ? containerFunctionApp.outputs.name : functionApp.outputs.name
output AZURE_FUNCTION_APP_URL string = containerHosting ? containerFunctionApp.outputs.uri : functionApp.outputs.uri
// azd pushes the `api-container` service's image here (empty with Flex Consumption).
output AZURE_CONTAINER_REGISTRY_ENDPOINT string = containerHosting ? registry.outputs.loginServer : ''
output AZURE_MANAGED_IDENTITY_CLIENT_ID string = identity.outputs.clientId
output COSMOS_ENDPOINT string = cosmos.outputs.endpoint
output COSMOS_DATABASE string = cosmos.outputs.databaseName
output AZURE_OPENAI_ENDPOINT string = openAi.outputs.endpoint
output AZURE_OPENAI_DEPLOYMENT string = openAi.outputs.deploymentName
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output AZURE_STORAGE_BLOB_ENDPOINT string = storage.outputs.blobEndpoint
output AZURE_STORAGE_QUEUE_ENDPOINT string = storage.outputs.queueEndpoint
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
output AZURE_KEY_VAULT_URI string = keyVault.outputs.uri
output APPLICATIONINSIGHTS_NAME string = monitoring.outputs.applicationInsightsName
