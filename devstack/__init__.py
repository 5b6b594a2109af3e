"""The local stack (make run, and every test over HTTP): DynamoDB Local, moto, chalice local, the web
server, the stream and schedule worker, provisioning and the demo seed. Never deployed."""
