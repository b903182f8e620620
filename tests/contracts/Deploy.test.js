// scripts/deploy.js: writes the deployment file and does not redeploy onto a chain where the registry already is.
const { expect } = require("chai");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const hre = require("hardhat");
const { ethers } = hre;
const { deployRegistry } = require("../../scripts/deploy");
const { ROLE } = require("./helpers");

describe("scripts/deploy.js", function () {
  let dir;
  beforeEach(function () {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "provenance-deploy-"));
  });
  afterEach(function () {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("test_deploy_noFile_deploysAndWritesDeploymentFile", async function () {
    const [deployer] = await ethers.getSigners();
    const file = path.join(dir, "nested", "localhost.json");
    const { deployed, deployment } = await deployRegistry(hre, { file });
    expect(deployed).to.equal(true);
    const written = JSON.parse(fs.readFileSync(file, "utf8"));
    expect(written).to.deep.equal(deployment);
    expect(written.chainId).to.equal(31337);
    expect(written.abi).to.equal("artifacts/contracts/ProvenanceRegistry.sol/ProvenanceRegistry.json");
    expect(fs.existsSync(path.join(hre.config.paths.root, written.abi))).to.equal(true);
    expect(written.admin).to.equal(deployer.address);
    const receipt = await ethers.provider.getTransactionReceipt(written.deployTx);
    expect(receipt.contractAddress).to.equal(written.address);
    expect(receipt.blockNumber).to.equal(written.deployBlock);
    const registry = await ethers.getContractAt("ProvenanceRegistry", written.address);
    expect(await registry.defaultAdmin()).to.equal(deployer.address);
    expect(await registry.defaultAdminDelay()).to.equal(0n);
  });

  it("test_deploy_fileWithLiveRegistry_doesNothing", async function () {
    const file = path.join(dir, "d.json");
    const first = await deployRegistry(hre, { file });
    const before = fs.readFileSync(file, "utf8");
    const block = await ethers.provider.getBlockNumber();
    const second = await deployRegistry(hre, { file });
    expect(second.deployed).to.equal(false);
    expect(second.deployment.address).to.equal(first.deployment.address);
    expect(await ethers.provider.getBlockNumber()).to.equal(block); // no transaction sent
    expect(fs.readFileSync(file, "utf8")).to.equal(before);
  });

  it("test_deploy_fileButNoCodeAtAddress_deploysAgain", async function () {
    const file = path.join(dir, "d.json");
    const stale = { chainId: 31337, address: ethers.Wallet.createRandom().address, deployBlock: 1, deployTx: ethers.ZeroHash };
    fs.writeFileSync(file, JSON.stringify(stale));
    const { deployed, deployment } = await deployRegistry(hre, { file });
    expect(deployed).to.equal(true);
    expect(deployment.address).to.not.equal(stale.address);
    expect(await ethers.provider.getCode(deployment.address)).to.not.equal("0x");
  });

  it("test_deploy_fileForOtherChain_deploysAgain", async function () {
    const file = path.join(dir, "d.json");
    const first = await deployRegistry(hre, { file });
    fs.writeFileSync(file, JSON.stringify({ ...first.deployment, chainId: 1 }));
    const { deployed, deployment } = await deployRegistry(hre, { file });
    expect(deployed).to.equal(true);
    expect(deployment.chainId).to.equal(31337);
  });

  it("test_deploy_fileAddressHoldsOtherContract_throws", async function () {
    const file = path.join(dir, "d.json");
    const { deployment } = await deployRegistry(hre, { file });
    // Some other code at the recorded address (e.g. a reset dev chain where another contract took it).
    const other = ethers.Wallet.createRandom().address;
    await hre.network.provider.send("hardhat_setCode", [other, "0x60006000fd"]);
    fs.writeFileSync(file, JSON.stringify({ ...deployment, address: other }));
    let error;
    try {
      await deployRegistry(hre, { file });
    } catch (e) {
      error = e;
    }
    expect(error?.message).to.match(/not the registry/);
  });

  it("test_deploy_registrarAndAdminOptions_grantRoleAndBeginTransfer", async function () {
    const [deployer, registrar, finalAdmin] = await ethers.getSigners();
    const file = path.join(dir, "d.json");
    const { deployment } = await deployRegistry(hre, {
      file,
      registrar: registrar.address,
      admin: finalAdmin.address,
      adminDelay: 0n,
    });
    const registry = await ethers.getContractAt("ProvenanceRegistry", deployment.address);
    expect(await registry.hasRole(ROLE.REGISTRAR, registrar.address)).to.equal(true);
    expect(deployment.registrar).to.equal(registrar.address);
    expect(deployment.pendingAdmin).to.equal(finalAdmin.address);
    const [pending] = await registry.pendingDefaultAdmin();
    expect(pending).to.equal(finalAdmin.address);
    await hre.network.provider.send("evm_mine");
    await registry.connect(finalAdmin).acceptDefaultAdminTransfer();
    expect(await registry.defaultAdmin()).to.equal(finalAdmin.address);
    expect(deployer.address).to.not.equal(finalAdmin.address);
  });

  it("test_deploy_corruptFile_throws", async function () {
    const file = path.join(dir, "d.json");
    fs.writeFileSync(file, JSON.stringify({ hello: "world" }));
    let error;
    try {
      await deployRegistry(hre, { file });
    } catch (e) {
      error = e;
    }
    expect(error?.message).to.match(/not a deployment file/);
  });
});
