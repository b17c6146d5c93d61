module pulumiscale.test/go-upload

go 1.21
