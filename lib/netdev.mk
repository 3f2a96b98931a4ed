# netDevices: moving host interfaces into the container (libmnl).
