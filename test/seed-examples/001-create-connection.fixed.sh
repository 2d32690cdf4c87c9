# Seed 001 create-connection example, corrected: the comma missing after "peer" is added, and the
# CIDR variables are spliced in as JSON arrays (localCidrs='["10.240.0.0/24"]').
      curl -X POST "$vpc_api_endpoint/v1/vpn_gateways/$vpnGatewayId/connections?version=$api_version&generation=2" \
        -H "Authorization: $iam_token" \
        -d '{
            "name": "my-vpn-connection",
            "psk": "'$psk'",
            "dead_peer_detection": {
                "action": "restart",
                "interval": 2,
                "timeout": 10
            },
            "local": {
                "cidrs": '"$localCidrs"'
            },
            "peer": {
                "cidrs": '"$remoteCidrs"',
                "address": "7.8.9.10"
            },
            "ike_policy": {
                "id": "'$ikePolicyId'"
            },
            "ipsec_policy": {
                "id": "'$ipsecPolicyId'"
            }
        }'
