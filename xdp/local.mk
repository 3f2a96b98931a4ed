# xdp/ and foundry-xdp-hook: the XDP forwarder and the OCI hook that programs it.
