/**
 * Warnings that are noise on every command, turned off unless the user set the variable:
 *
 * - The AWS SDK for JavaScript v3 prints a NodeVersionSupportWarning on every run under Node 20 (its
 *   releases after January 2027 need Node 22). Tessera supports Node 20 (package.json `engines`).
 *   The SDK documents this variable to turn it off: https://github.com/aws/aws-sdk-js-v3/issues/7983
 *   (read in @aws-sdk/core's emitWarningIfUnsupportedVersion).
 * - aws-cdk-lib prints a deprecation warning when code reads a deprecated property, and cdk-nag's
 *   AwsSolutions-EVB1 reads `CfnEventBusPolicy#principal` on every synth (node_modules/cdk-nag/lib/
 *   rules/eventbridge/EventBusOpenAccess.js). Tessera's own code uses no deprecated API (eslint's
 *   `@typescript-eslint/no-deprecated` is an error), so what is left is third-party.
 *   `JSII_DEPRECATED=warn` brings the warnings back, `fail` makes them errors (jsii's switch, read
 *   in aws-cdk-lib/.warnings.jsii.js).
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.env.JSII_DEPRECATED ??= 'quiet';
