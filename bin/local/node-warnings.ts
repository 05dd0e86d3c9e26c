/**
 * The AWS SDK for JavaScript v3 prints a NodeVersionSupportWarning on every run under Node 20 (its
 * releases after January 2027 need Node 22). Tessera supports Node 20 (package.json `engines`), so
 * on a terminal that warning is noise on every command. The SDK documents this variable to turn it
 * off: https://github.com/aws/aws-sdk-js-v3/issues/7983 (read in @aws-sdk/core's
 * emitWarningIfUnsupportedVersion). Set explicitly, the user's value wins.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
