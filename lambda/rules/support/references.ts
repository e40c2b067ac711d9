// The public Okta pages rules cite in their metadata (`references`), one home per address.

export const REFERENCES = {
  apiTokens: 'https://help.okta.com/en-us/Content/Topics/security/api.htm',
  networkZones: 'https://developer.okta.com/docs/api/openapi/okta-management/management/tag/NetworkZone/',
  serviceApp: 'https://developer.okta.com/docs/guides/implement-oauth-for-okta-serviceapp/main/',
  adAgentOAuth: 'https://support.okta.com/help/s/article/ad-agent-changes-using-oauth-2-0',
  adAgentSuperAdmin:
    'https://support.okta.com/help/s/article/What-is-the-impact-of-revoking-the-Super-Admin-role-on-the-AD-Agent-Okta-Service-Account',
  workflowsAuthorize: 'https://support.okta.com/help/s/article/How-to-Authorize-an-Okta-Connection-in-Okta-Workflows',
  workflowsDeactivate:
    'https://support.okta.com/help/s/article/the-impact-of-deactivating-a-user-that-authored-a-workflow-or-created-a-connection-in-okta-workflows',
  adminDeactivated:
    'https://support.okta.com/help/s/article/Application-Functionality-Breaks-When-an-Admin-is-Deactivated',
  provisioningConnection:
    'https://developer.okta.com/docs/api/openapi/okta-management/management/tag/ApplicationConnections/',
  applicationFeatures:
    'https://developer.okta.com/docs/api/openapi/okta-management/management/tag/ApplicationFeatures/',
  appUsers: 'https://developer.okta.com/docs/api/openapi/okta-management/management/tag/ApplicationUsers/',
  eventTypes: 'https://developer.okta.com/docs/reference/api/event-types/',
  org2org: 'https://help.okta.com/en/prod/Content/Topics/Provisioning/org2org/org2org-integrate.htm',
  agentPools: 'https://developer.okta.com/docs/api/openapi/okta-management/management/tag/AgentPools/',
  userStatus: 'https://help.okta.com/en-us/Content/Topics/users-groups-profiles/usgp-end-user-states.htm',
  tokenAfterPasswordReset:
    'https://support.okta.com/help/s/article/api-token-validity-after-an-okta-admin-password-reset',
  invalidToken: 'https://support.okta.com/help/s/article/HTTP-401-Okta-E0000011-Invalid-Token-provided-error',
  userProfile: 'https://developer.okta.com/docs/api/openapi/okta-management/management/tag/User/',
} as const;
