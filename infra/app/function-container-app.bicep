// The flowops Functions app as a container on Azure Container Apps (Azure
// Functions hosting on Container Apps: kind functionapp), for projects whose
// flows have python nodes. The image is the build context `flowops build`
// writes (Functions Node.js 20 image + Python + every flow's requirements),
// built and pushed by azd in the CD workflow. Same identity-based settings as
// the Flex Consumption app (function-app.bicep): no keys.

@description('Container app name.')
param name string

@description('Azure region.')
param location string

@description('Tags applied to the app (azd-service-name is added).')
param tags object = {}

@description('azd service this app hosts (azure.yaml).')
param serviceName string = 'api-container'

@description('Resource id of the Container Apps environment.')
param environmentId string

@description('Resource id of the user-assigned identity (pulls the image, reaches every store).')
param identityId string

@description('Client id of the user-assigned identity.')
param identityClientId string

@description('Login server of the container registry holding the image.')
param registryLoginServer string

@description('Image to run. azd deploy replaces it with the image built from `flowops build`; this placeholder only lets the first provisioning succeed.')
param containerImage string = 'mcr.microsoft.com/azure-functions/node:4-node20'

@description('Blob endpoint of the storage account.')
param storageBlobEndpoint string

@description('Queue endpoint of the storage account.')
param storageQueueEndpoint string

@description('Table endpoint of the storage account.')
param storageTableEndpoint string

@description('Application Insights connection string (not a secret: local auth is disabled).')
param applicationInsightsConnectionString string

@description('Cosmos DB account endpoint.')
param cosmosEndpoint string

@description('Cosmos DB database name.')
param cosmosDatabaseName string

@description('Azure OpenAI endpoint.')
param openAiEndpoint string

@description('Azure OpenAI model deployment name.')
param openAiDeploymentName string

@description('Key Vault URI for other vendors keys.')
param keyVaultUri string

@description('Fewest replicas (0 scales to zero between requests).')
@minValue(0)
param minReplicas int = 0

@description('Most replicas.')
@minValue(1)
param maxReplicas int = 10

resource app 'Microsoft.App/containerApps@2024-10-02-preview' = {
  name: name
  location: location
  tags: union(tags, {
    'azd-service-name': serviceName
  })
  kind: 'functionapp'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    managedEnvironmentId: environmentId
    workloadProfileName: 'Consumption'
    configuration: {
      activeRevisionsMode: 'Single'
      ingress: {
        external: true
        targetPort: 80
        transport: 'auto'
        allowInsecure: false
      }
      registries: [
        {
          server: registryLoginServer
          identity: identityId
        }
      ]
    }
    template: {
      containers: [
        {
          name: 'functions'
          image: containerImage
          resources: {
            cpu: json('1.0')
            memory: '2Gi'
          }
          env: [
            // Functions host storage and Durable task hub, identity-based.
            {
              name: 'AzureWebJobsStorage__credential'
              value: 'managedidentity'
            }
            {
              name: 'AzureWebJobsStorage__clientId'
              value: identityClientId
            }
            {
              name: 'AzureWebJobsStorage__blobServiceUri'
              value: storageBlobEndpoint
            }
            {
              name: 'AzureWebJobsStorage__queueServiceUri'
              value: storageQueueEndpoint
            }
            {
              name: 'AzureWebJobsStorage__tableServiceUri'
              value: storageTableEndpoint
            }
            // Telemetry: Entra-authenticated ingestion as the identity.
            {
              name: 'APPLICATIONINSIGHTS_CONNECTION_STRING'
              value: applicationInsightsConnectionString
            }
            {
              name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING'
              value: 'Authorization=AAD;ClientId=${identityClientId}'
            }
            // DefaultAzureCredential / ManagedIdentityCredential pick this identity.
            {
              name: 'AZURE_CLIENT_ID'
              value: identityClientId
            }
            // flowops stores and models.
            {
              name: 'FLOWOPS_STORE'
              value: 'azure'
            }
            {
              name: 'COSMOS_ENDPOINT'
              value: cosmosEndpoint
            }
            {
              name: 'COSMOS_DATABASE'
              value: cosmosDatabaseName
            }
            {
              name: 'AZURE_STORAGE_BLOB_ENDPOINT'
              value: storageBlobEndpoint
            }
            {
              name: 'AZURE_STORAGE_QUEUE_ENDPOINT'
              value: storageQueueEndpoint
            }
            {
              name: 'AZURE_OPENAI_ENDPOINT'
              value: openAiEndpoint
            }
            {
              name: 'AZURE_OPENAI_DEPLOYMENT'
              value: openAiDeploymentName
            }
            {
              name: 'AZURE_KEY_VAULT_URI'
              value: keyVaultUri
            }
          ]
        }
      ]
      scale: {
        minReplicas: minReplicas
        maxReplicas: maxReplicas
      }
    }
  }
}

output id string = app.id
output name string = app.name
output uri string = 'https://${app.properties.configuration.ingress.fqdn}'
