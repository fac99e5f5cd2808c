// Cosmos DB (NoSQL, serverless) for runs and registry/deployment metadata.
// Local (key) auth is disabled; the data-plane role assignment for the app
// identity lives with the other grants in role-assignments.bicep.
// Containers and partition keys: cosmos-containers.json (documented there).

@description('Cosmos DB account name.')
param name string

@description('Azure region.')
param location string

@description('Tags applied to the account.')
param tags object = {}

@description('Name of the SQL database.')
param databaseName string = 'flowops'

var containerSpecs = loadJsonContent('cosmos-containers.json').containers

resource account 'Microsoft.DocumentDB/databaseAccounts@2024-11-15' = {
  name: name
  location: location
  tags: tags
  kind: 'GlobalDocumentDB'
  properties: {
    databaseAccountOfferType: 'Standard'
    disableLocalAuth: true
    disableKeyBasedMetadataWriteAccess: true
    minimalTlsVersion: 'Tls12'
    publicNetworkAccess: 'Enabled'
    consistencyPolicy: {
      defaultConsistencyLevel: 'Session'
    }
    locations: [
      {
        locationName: location
        failoverPriority: 0
        isZoneRedundant: false
      }
    ]
    capabilities: [
      {
        name: 'EnableServerless'
      }
    ]
  }
}

resource database 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases@2024-11-15' = {
  parent: account
  name: databaseName
  properties: {
    resource: {
      id: databaseName
    }
  }
}

resource containers 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2024-11-15' = [
  for spec in containerSpecs: {
    parent: database
    name: spec.name
    properties: {
      resource: {
        id: spec.name
        partitionKey: {
          paths: [
            spec.partitionKeyPath
          ]
          kind: 'Hash'
          version: 2
        }
        defaultTtl: spec.defaultTtl
      }
    }
  }
]

output id string = account.id
output name string = account.name
output endpoint string = account.properties.documentEndpoint
output databaseName string = database.name
